"""Tests of tools/checker/course_notes.py: the parser of the course notes (hints in stages and
wrong answers) and the applying of a mutant to an exercise's code. Run by ctest."""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from checker import course_notes  # noqa: E402

NOTES = """# notes

## 2.5 power backward

### Hint 1
The idea.
### Hint 2
The approach,
on two lines.

### Mutant no-chain-rule: forgets out.grad
```diff
 const double n = out.constant;
-a.grad += n * std::pow(a.data, n - 1.0) * out.grad;
+a.grad += n * std::pow(a.data, n - 1.0);
```
"""

SOURCE = """void pow_backward(Node& out) {
  // EXERCISE 2.5 "power backward": c = a^n.
  Node& a = out.parent(0);
  const double n = out.constant;
  a.grad += n * std::pow(a.data, n - 1.0) * out.grad;
}

void div_backward(Node& out) {
  // EXERCISE 2.6 "divide backward": c = a / b.
  a.grad += n * std::pow(a.data, n - 1.0) * out.grad;
}
"""


class ParseTest(unittest.TestCase):
    def test_hints_in_order_and_mutants_with_their_lines(self):
        notes = course_notes.parse_notes(NOTES, "notes.md")
        self.assertEqual(list(notes), ["2.5"])
        self.assertEqual(notes["2.5"].hints, ["The idea.", "The approach,\non two lines."])
        [mutant] = notes["2.5"].mutants
        self.assertEqual(mutant.id, "2.5/no-chain-rule")
        self.assertEqual(mutant.description, "forgets out.grad")
        self.assertEqual(mutant.where, "notes.md:11")

    def test_malformed_notes_name_the_line(self):
        cases = {
            "## 1.1 add\n### Hint 2\nskipped one\n": "numbered 1, 2, 3",
            "## 1.1 add\n### Mutant x: y\n```diff\n-a\n": "not closed",
            "## 1.1 add\n### Mutant x: y\n```diff\n+a\n```\n": "changes nothing",
            "## 1.1 add\n### Mutant x: y\n": "no ```diff block",
            "## 1.1 add\n### Mutant x: y\n```diff\n-a\n```\n### Mutant x: z\n": "two mutants",
            "### Hint 1\n": "before the first",
            "## 1.1 add\n### Something\n": "expected '### Hint N'",
            "## 1.1 add\n### Mutant x: y\n```diff\n*a\n```\n": "starts with",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(course_notes.NotesError) as raised:
                    course_notes.parse_notes(text, "notes.md")
                self.assertIn(expected, str(raised.exception))
                self.assertTrue(str(raised.exception).startswith("notes.md:"))


class ApplyTest(unittest.TestCase):
    def mutant(self):
        return course_notes.parse_notes(NOTES, "notes.md")["2.5"].mutants[0]

    def test_changes_only_its_own_exercise(self):
        changed = course_notes.apply_mutant(SOURCE, "2.5", self.mutant())
        lines = changed.split("\n")
        self.assertEqual(lines[4], "a.grad += n * std::pow(a.data, n - 1.0);")
        self.assertIn("  a.grad += n * std::pow(a.data, n - 1.0) * out.grad;", lines[9])

    def test_lines_that_are_not_there_are_an_error(self):
        with self.assertRaises(course_notes.MutantDoesNotApply) as raised:
            course_notes.apply_mutant(SOURCE, "2.6", self.mutant())
        self.assertIn("not found", str(raised.exception))
        with self.assertRaises(course_notes.MutantDoesNotApply):
            course_notes.apply_mutant(SOURCE, "9.9", self.mutant())

    def test_the_repositorys_notes_parse_and_apply(self):
        root = Path(__file__).resolve().parents[2]
        solutions = root / "solutions"
        paths = sorted(solutions.rglob("*" + course_notes.NOTES_SUFFIX))
        self.assertTrue(paths)
        for path in paths:
            source = str(path.relative_to(solutions))[:-len(course_notes.NOTES_SUFFIX)]
            text = (solutions / source).read_text()
            for identifier, notes in course_notes.load_notes(solutions, [source]).items():
                self.assertGreaterEqual(len(notes.hints), 3, identifier)
                for mutant in notes.mutants:
                    with self.subTest(mutant=mutant.id):
                        self.assertNotEqual(course_notes.apply_mutant(text, identifier, mutant),
                                            text)


if __name__ == "__main__":
    unittest.main()
