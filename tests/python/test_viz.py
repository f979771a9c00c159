"""Drawing graphs from Python: micrograd.viz.draw_dot and Value._repr_svg_ (what a notebook shows
when a cell ends with a Value)."""
import os
import random
import tempfile
import unittest

import micrograd.viz
from requirements import SKIPPED

if not micrograd.viz.available:
    print("SKIPPED: micrograd was built without Graphviz (sudo apt-get install libgraphviz-dev)")
    raise SystemExit(SKIPPED)

from micrograd import nn  # noqa: E402
from micrograd.engine import Value  # noqa: E402
from micrograd.viz import draw_dot  # noqa: E402


def neuron():
    """trace_graph.ipynb's 2D neuron."""
    random.seed(1337)
    n = nn.Neuron(2)
    x = [Value(1.0), Value(-2.0)]
    y = n(x)
    y.backward()
    return y


class Drawing(unittest.TestCase):
    def assertContains(self, text, part, message=""):  # without printing a whole SVG file
        if part not in text:
            self.fail(f"{part!r} is not in the drawing ({message}); it begins {text[:300]!r}")

    def test_a_value_draws_itself_as_svg(self):
        y = neuron()
        svg = y._repr_svg_()
        self.assertContains(svg, "<svg")
        self.assertContains(svg, "data 0.2355", "the first weight's box")
        self.assertContains(svg, "grad &#45;2.0000", "the second weight's grad: x1 = -2")

    def test_draw_dot_returns_what_a_notebook_displays(self):
        dot = draw_dot(neuron())
        self.assertIn("rankdir=LR", dot.source)
        self.assertContains(dot._repr_svg_(), "<svg")
        self.assertIn("rankdir=TB", draw_dot(neuron(), rankdir="TB").source)
        self.assertTrue(dot.pipe("png").startswith(b"\x89PNG"))

    def test_render_writes_the_source_and_the_picture_as_graphviz_does(self):
        with tempfile.TemporaryDirectory() as folder:
            path = draw_dot(neuron()).render(os.path.join(folder, "gout"))
            self.assertEqual(path, os.path.join(folder, "gout.svg"))
            with open(path, encoding="utf-8") as picture:
                self.assertContains(picture.read(), "<svg")
            with open(os.path.join(folder, "gout"), encoding="utf-8") as source:
                self.assertTrue(source.read().startswith("digraph"))

    def test_a_large_graph_shows_its_repr_instead(self):
        x = Value(1.0)
        big = sum(x * i for i in range(micrograd.viz.MAX_NODES))
        self.assertIsNone(big._repr_svg_(), "too large to lay out quickly: the notebook falls "
                                            "back to the repr")
        self.assertIsNone(draw_dot(big)._repr_svg_())
        self.assertIn("digraph", micrograd.viz.to_dot(big), "the DOT text has no size limit")

    def test_a_missing_folder_is_file_not_found(self):
        with self.assertRaisesRegex(FileNotFoundError, "the folder .* does not exist"):
            micrograd.viz.render(neuron(), "/nonexistent/folder/graph.svg")
        with self.assertRaisesRegex(FileNotFoundError, "folder '/nonexistent/folder' does not"):
            draw_dot(neuron()).render("/nonexistent/folder/gout")

    def test_a_missing_folder_not_named_in_utf8_is_file_not_found(self):
        folder = os.fsdecode(b"/nonexistent/caf\xe9")
        with self.assertRaisesRegex(FileNotFoundError, r"caf\\xe9.* does not exist"):
            micrograd.viz.render(neuron(), os.path.join(folder, "graph.svg"))

    def test_messages_name_what_python_can_change(self):
        x = Value(1.0)
        big = sum(x * i for i in range(micrograd.viz.MAX_NODES + 1))
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaises(ValueError) as caught:
                micrograd.viz.render(big, os.path.join(folder, "big.svg"))
            self.assertNotIn("options.", str(caught.exception))
            self.assertIn("MAX_NODES", str(caught.exception))
            with self.assertRaises(ValueError) as caught:
                micrograd.viz.render(neuron(), os.path.join(folder, "graph.gif"))
            self.assertNotIn("options.", str(caught.exception))

    def test_render_onto_a_folder_writes_nothing(self):
        with tempfile.TemporaryDirectory() as folder:
            target = os.path.join(folder, "dir")
            os.mkdir(target)
            with self.assertRaises(OSError):
                draw_dot(neuron()).render(target)
            self.assertEqual(sorted(os.listdir(folder)), ["dir"],
                             "the picture was written before the DOT text failed")

    def test_bad_options(self):
        with self.assertRaisesRegex(ValueError, "rankdir must be 'LR' .* or 'TB'"):
            draw_dot(Value(1.0), rankdir="RL")
        with self.assertRaisesRegex(ValueError, "format must be"):
            draw_dot(Value(1.0), format="gif")


if __name__ == "__main__":
    unittest.main()
