// Drawing a computation graph with Graphviz, like micrograd's draw_dot: every Value is a box
// `label | data | grad`, every operation a small ellipse between a Value and its inputs.
//
// Built on Graphviz's own C libraries (cgraph builds the graph, gvc lays it out with `dot` and
// renders it), not by running the `dot` program. It is not a general graph library: it draws what
// the root reaches, nothing else.
//
//   micrograd::viz::render(loss, "loss.svg");          // after loss.backward(): see every grad
//   std::string dot = micrograd::viz::to_dot(loss);    // the DOT text, for any size of graph
//   micrograd::viz::watch_backward(loss, "out/steps"); // one frame per backward step + a web page
//
// Graphviz keeps process-wide state (its error buffer, the one rendering context this library
// creates), so calls into this header are serialised by a lock: they are thread-safe but do not
// run in parallel.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/value.hpp"

namespace micrograd::viz {

enum class Direction {
  left_to_right,  // inputs on the left, the root on the right (micrograd's rankdir=LR)
  top_to_bottom,  // inputs at the top, the root at the bottom
};

enum class Format {
  from_extension,  // .svg, .png or .pdf, from the output path (render() only)
  svg,
  png,
  pdf,
};

struct Options {
  Direction direction = Direction::left_to_right;
  bool show_grad = true;  // the third field of each box; off for a forward-only picture
  int precision = 4;      // digits after the decimal point, 0..17 (micrograd prints %.4f)
  // Values drawn filled in yellow (the nodes themselves, not their labels: copies of a Value
  // highlight the same box).
  std::vector<Value> highlight;
  // render() and render_svg() refuse graphs with more Value nodes than this, or whose layout is as
  // much work (edges that skip many ranks make dot place hidden nodes): dot's layout time grows
  // steeply, about 1 s at 1,000 nodes, 11 s at 4,000 and minutes at 8,000. to_dot() has no cap.
  // Nodes are counted first, and no further than ten times this, so refusing a graph of millions
  // of nodes is as quick as refusing a small one.
  std::size_t max_nodes = 1000;
  // watch_backward() draws one frame per node, each a full layout and a full picture, so time and
  // page size grow with the square of the graph (56 nodes: 0.4 s and 4 MB; 190 nodes: 9 s and
  // 50 MB). It refuses more.
  std::size_t max_animation_nodes = 60;
  Format format = Format::from_extension;  // render() and render_dot(): overrides the extension
};

// A diagnostic Graphviz reported (an error or a warning), with Graphviz's own words in what().
class GraphvizError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The graph has more Value nodes than the options allow for rendering. what() says how many, how
// long the layout would take, and what to do instead. The count stops past ten times the limit
// (a larger graph is refused after a short walk, not a walk of all of it): node_count() is then
// 10 * max_nodes() + 1, and what() says "more than 10 * max_nodes()".
class GraphTooLarge : public std::length_error {
 public:
  GraphTooLarge(const std::string& message, std::size_t node_count, std::size_t max_nodes)
      : std::length_error(message), node_count_(node_count), max_nodes_(max_nodes) {}
  std::size_t node_count() const noexcept { return node_count_; }
  std::size_t max_nodes() const noexcept { return max_nodes_; }

 private:
  std::size_t node_count_;
  std::size_t max_nodes_;
};

// The graph in Graphviz's DOT language, built with cgraph and written with agwrite. No layout is
// done, so it is fast for any size (max_nodes does not apply). The text is deterministic: Values
// are numbered v0, v1, ... depth first from the root, first operand first, each after its inputs
// (so the root is last); op3 is the operation that made v3.
std::string to_dot(const Value& root, const Options& options = {});

// Lays the graph out with dot and writes it to `path` as SVG, PNG or PDF (options.format, or the
// path's extension). The file is written next to `path` under a temporary name and renamed into
// place, so a failure never leaves a half-written file. Throws std::invalid_argument for an
// unknown format or bad options, GraphTooLarge over options.max_nodes, GraphvizError for a
// Graphviz diagnostic and std::filesystem::filesystem_error when the file cannot be written.
void render(const Value& root, const std::filesystem::path& path, const Options& options = {});

// The same drawing as SVG text (options.format is ignored).
std::string render_svg(const Value& root, const Options& options = {});

// Lays out and renders DOT text (to_dot's output edited by hand, or any graph) and returns the
// bytes, in options.format (SVG for from_extension). Only the first graph of the text is drawn. A
// syntax error in the text is a GraphvizError quoting Graphviz; more nodes than options.max_nodes
// (op nodes count here) is GraphTooLarge.
std::string render_dot(const std::string& dot, const Options& options = {});

// The files watch_backward wrote.
struct BackwardAnimation {
  std::vector<std::filesystem::path> frames;  // frame_000.svg (the seed), frame_001.svg, ...
  std::filesystem::path page;                 // backward.html: every frame inlined, no other file
};

// "Watch backward": replays backward() on `root`'s graph one step at a time and draws each step.
// Frame 0 is the start (every grad 0, the root's grad 1); frame k (k = 1..N, N Value nodes) is
// the k-th node of the reverse topological order after its grad_fn ran (run_grad_fn, so anomaly
// mode applies): that node and its operation are orange, the inputs it just passed gradient to are
// green. Every frame has the same layout, so the boxes stay put while the numbers change.
// backward.html shows the frames with a slider, buttons and the arrow keys (Home/End too), and
// opens at frame k with `backward.html?frame=k`.
//
// The grads of the graph are restored afterwards, also when an exception is thrown: the frames
// show one backward pass from zero, whatever the graph held before, and leave it as it was.
// `folder` is created if needed; existing frame files in it are overwritten. Throws GraphTooLarge
// over options.max_animation_nodes, otherwise as render().
BackwardAnimation watch_backward(const Value& root, const std::filesystem::path& folder,
                                 const Options& options = {});

}  // namespace micrograd::viz
