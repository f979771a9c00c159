"""micrograd.viz: drawing a Value's graph, like the draw_dot of micrograd's trace_graph.ipynb.

    from micrograd.viz import draw_dot
    dot = draw_dot(y)          # in a notebook, a cell ending with `dot` shows the picture
    dot.render('gout')         # writes gout (DOT text) and gout.svg, as graphviz.Digraph does

Every Value is a box `label | data | grad`, every op a small ellipse. The drawing is made by
micrograd.cpp's viz library (Graphviz's C libraries, in-process: no `dot` program and no Python
graphviz package needed). draw_dot takes the picture's numbers when it is called, as micrograd's
does. A Value at the end of a notebook cell draws itself the same way (Value._repr_svg_).

Laying out a graph takes time that grows steeply with its size, so drawings stop at MAX_NODES
nodes (1,000); to_dot() writes the DOT text of a graph of any size.
"""
from micrograd import _core

__all__ = ["draw_dot", "Drawing", "to_dot", "render", "watch_backward", "MAX_NODES", "available"]

available = _core.has_viz


def _viz():
    if not _core.has_viz:
        raise RuntimeError("micrograd was built without Graphviz, so it cannot draw graphs: "
                           "sudo apt-get install libgraphviz-dev pkg-config, then build again")
    return _core.viz


MAX_NODES = _core.viz.MAX_NODES if _core.has_viz else 1000


class Drawing:
    """A drawn graph: its DOT text (.source), shown as SVG by notebooks, written by render()."""

    def __init__(self, source, format="svg"):
        self.source = source
        self.format = format

    def pipe(self, format=None):
        """The picture's bytes in `format` (svg, png or pdf; default: this drawing's format)."""
        return _viz().render_dot(self.source, format or self.format)

    def render(self, filename="graph", format=None):
        """Writes the DOT text to `filename` and the picture to `filename.<format>`; returns the
        picture's path (graphviz.Digraph.render's files)."""
        format = format or self.format
        path = f"{filename}.{format}"
        picture = self.pipe(format)  # laid out first: a graph that cannot be drawn writes nothing
        # The DOT text first: a `filename` that cannot be written (a folder) leaves no picture.
        _viz().write_atomically(filename, self.source.encode("utf-8"))
        _viz().write_atomically(path, picture)
        return path

    def _repr_svg_(self):
        try:
            return self.pipe("svg").decode("utf-8")
        except ValueError:  # too large to lay out: the notebook shows the repr instead
            return None

    def __repr__(self):
        return f"<micrograd.viz.Drawing: {self.source.count(' -> ')} edges; .source is its DOT text>"


def to_dot(root, rankdir="LR", show_grad=True, precision=4):
    """The graph behind root in Graphviz's DOT language, for any size of graph."""
    return _viz().to_dot(root, rankdir=rankdir, show_grad=show_grad, precision=precision)


def draw_dot(root, format="svg", rankdir="LR"):
    """micrograd's draw_dot: root's graph, left to right (rankdir='TB': top to bottom)."""
    if format not in ("svg", "png", "pdf"):
        raise ValueError(f"format must be 'svg', 'png' or 'pdf', not {format!r}")
    return Drawing(to_dot(root, rankdir=rankdir), format)


def render(root, path, rankdir="LR", show_grad=True, precision=4):
    """Draws root's graph into path (.svg, .png or .pdf), atomically."""
    _viz().render(root, path, rankdir=rankdir, show_grad=show_grad, precision=precision)


def watch_backward(root, folder):
    """Draws backward() one step at a time into folder and returns the path of the page that
    steps through the frames (a slider, or the arrow keys)."""
    return _viz().watch_backward(root, folder)
