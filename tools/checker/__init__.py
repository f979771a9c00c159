"""The exercise checker of micrograd.cpp (`./check`). It is not a test framework: it drives
CMake and the GoogleTest programs, and explains their output. Exercise C.N is graded by the
GoogleTest suites named ExC_N_* in the test programs built against micrograd_exercises; each
exercise runs in a process of its own, limited in CPU time and memory, so a crash or an endless
loop in one exercise is reported as such and does not hide the others.

Its parts, in the order a run goes through them:

    paths, output, files   where things are; the terminal; writing files without losing work
    exercise_files         the exercise markers: solutions/ -> exercises/ (tools/make_exercises.py)
    course_notes           hints and the catalogue of wrong answers (solutions/*.course.md)
    exercises              the exercises as the checker sees them, found in the student's files
    building               CMake, and compile errors in plain words
    running                test programs under CPU, memory and output limits; no orphans
    gtest_output           what they print, kept in bounded memory, and their JSON reports
    grading                test results -> one state per exercise, whatever is broken
    blame                  the earlier exercise a failure probably comes from
    explaining             gtest failures, crashes and hangs in plain words
    hints, report          hints one level at a time; the JSON report for graders
    commands               check, watch, list, verify, hint, reset
    demos                  demo: the examples of examples/demos.txt on the student's engine
    course_walk            walk and mutants, for course maintainers
    cli                    the command line
"""
