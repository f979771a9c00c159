// "Watch backward" (viz::watch_backward): replays backward() one grad_fn at a time, draws a frame
// per step with the same layout throughout, and writes the frames and a web page that steps
// through them (a slider, buttons, the arrow keys).
//
// The drawing itself (node order, labels, the cgraph graph, size limits, file writing) is shared
// with graphviz.cpp through viz/detail/drawing.hpp.
#include "viz/graphviz.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/graph.hpp"
#include "viz/detail/drawing.hpp"
#include "viz/detail/graphviz_c_api.hpp"
#include "viz/detail/label_text.hpp"

namespace micrograd::viz {

namespace fs = std::filesystem;

// The internals in viz/detail/ this file uses.
using detail::build;
using detail::c_string;
using detail::check_node_count;
using detail::check_size;
using detail::DiagnosticsCapture;
using detail::displayed_text;
using detail::Drawing;
using detail::drawing_order;
using detail::Fill;
using detail::format_number;
using detail::Graph;
using detail::graphviz_mutex;
using detail::html_escape;
using detail::Layout;
using detail::layout_size;
using detail::op_text;
using detail::render_laid_out;
using detail::rendering_context;
using detail::validate;
using detail::value_id;
using detail::value_label;
using detail::write_file;

namespace {

// The grads of every node over one replayed backward pass: frame 0 is the start, frame k the state
// after the k-th grad_fn. Stored as changes, so a long animation costs memory in proportion to its
// edges, not to frames x nodes.
struct GradHistory {
  std::vector<double> start;                                         // indexed like `order`
  std::vector<std::vector<std::pair<std::size_t, double>>> changes;  // per step: (node, new grad)
};

// Sets every grad of `order` back to what it was when constructed.
class GradRestorer {
 public:
  explicit GradRestorer(const std::vector<Node*>& order) : order_(order) {
    saved_.reserve(order.size());
    for (const Node* node : order) saved_.push_back(node->grad);
  }
  ~GradRestorer() {
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i]->grad = saved_[i];
  }
  GradRestorer(const GradRestorer&) = delete;
  GradRestorer& operator=(const GradRestorer&) = delete;

 private:
  const std::vector<Node*>& order_;
  std::vector<double> saved_;
};

// Replays backward() on the real graph: every grad to 0, the root's to 1, then run_grad_fn on each
// node in reverse topological order, recording what each step changed. Leaves the grads of the
// full pass; the caller restores them.
GradHistory replay_backward(const std::vector<Node*>& order) {
  GradHistory history;
  for (Node* node : order) node->grad = 0.0;
  order.back()->grad = 1.0;
  for (const Node* node : order) history.start.push_back(node->grad);
  std::vector<double> previous = history.start;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    run_grad_fn(**it, *order.back());
    auto& step = history.changes.emplace_back();
    // Compare every node, not just the parents: a student's grad_fn may write anywhere.
    for (std::size_t i = 0; i < order.size(); ++i) {
      const double grad = order[i]->grad;
      if (std::memcmp(&grad, &previous[i], sizeof grad) != 0) {
        step.emplace_back(i, grad);
        previous[i] = grad;
      }
    }
  }
  return history;
}

// A node's name in a caption (HTML): its label, or its DOT id when it has none.
std::string node_name(const std::vector<Node*>& order, std::size_t index) {
  const Node& node = *order[index];
  const std::string name =
      node.label && !node.label->empty() ? displayed_text(*node.label) : value_id(index);
  return "<code>" + html_escape(name) + "</code>";
}

std::size_t index_of(const std::vector<Node*>& order, const Node* node) {
  return static_cast<std::size_t>(std::find(order.begin(), order.end(), node) - order.begin());
}

// One sentence per frame (HTML), shown above it on the page.
std::string caption(const std::vector<Node*>& order, const std::vector<double>& grads,
                    std::size_t frame, const Options& options) {
  const std::size_t count = order.size();
  const std::string root = node_name(order, count - 1);
  const auto number = [&](double value) { return format_number(value, options.precision); };
  if (frame == 0) {
    return "Start: every grad is 0 except the root&rsquo;s, " + root + ".grad = 1, because &part;" +
           root + "/&part;" + root + " = 1. Each node then passes its grad back to its inputs, " +
           "from the root to the leaves.";
  }
  const std::size_t index = count - frame;
  const Node& node = *order[index];
  const std::string name = node_name(order, index);
  const std::string step =
      "Step " + std::to_string(frame) + " of " + std::to_string(count) + ": " + name;
  if (node.is_leaf()) {
    return step + " is a leaf (an input, a parameter or a constant): it has no grad_fn. Its grad " +
           "&part;" + root + "/&part;" + name + " = " + number(grads[index]) + " is complete.";
  }
  std::string text = step + ", made by <code>" + html_escape(displayed_text(op_text(node))) +
                     "</code>, runs its grad_fn with its grad " + number(grads[index]) + ": ";
  std::vector<const Node*> seen;
  for (std::uint32_t p = 0; p < node.parent_count; ++p) {
    const Node* parent = &node.parent(p);
    if (std::find(seen.begin(), seen.end(), parent) != seen.end()) continue;
    const std::size_t parent_index = index_of(order, parent);
    text += (seen.empty() ? "" : ", ") + node_name(order, parent_index) + ".grad is now " +
            number(grads[parent_index]);
    seen.push_back(parent);
  }
  if (seen.size() < node.parent_count) text += " (used twice: both shares are added)";
  return text + ".";
}

// Each value box gets the size of its widest label over all frames, so every frame has the same
// layout. The labels are measured by laying out a graph of just those boxes.
void fix_box_sizes(const std::vector<Node*>& order, const GradHistory& history,
                   const Options& options, GVC_t* context, DiagnosticsCapture& diagnostics,
                   Drawing& drawing) {
  std::vector<std::vector<double>> grads_seen(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) grads_seen[i].push_back(history.start[i]);
  for (const auto& step : history.changes) {
    for (const auto& [index, grad] : step) grads_seen[index].push_back(grad);
  }
  Graph graph;
  agattr(graph.get(), AGRAPH, c_string("rankdir"),
         c_string(options.direction == Direction::left_to_right ? "LR" : "TB"));
  agattr(graph.get(), AGNODE, c_string("shape"), c_string("record"));
  agattr(graph.get(), AGNODE, c_string("fontname"), c_string("Helvetica,Arial,sans-serif"));
  agattr(graph.get(), AGNODE, c_string("fontsize"), c_string("11"));
  Agsym_t* label = agattr(graph.get(), AGNODE, c_string("label"), c_string(""));
  std::vector<std::vector<Agnode_t*>> boxes(order.size());
  std::unordered_set<std::string> labels;
  for (std::size_t i = 0; i < order.size(); ++i) {
    labels.clear();
    for (const double grad : grads_seen[i]) {
      std::string text = value_label(*order[i], grad, options);
      if (!labels.insert(text).second) continue;
      const std::string id = "m" + std::to_string(i) + "_" + std::to_string(boxes[i].size());
      Agnode_t* box = agnode(graph.get(), c_string(id), 1);
      agxset(box, label, c_string(text));
      boxes[i].push_back(box);
    }
  }
  Layout layout(context, graph.get(), diagnostics);
  drawing.min_widths.assign(order.size(), 0.0);
  drawing.min_heights.assign(order.size(), 0.0);
  for (std::size_t i = 0; i < order.size(); ++i) {
    for (Agnode_t* box : boxes[i]) {
      // A hundredth of an inch spare: the sizes go back through text with four decimals.
      drawing.min_widths[i] = std::max(drawing.min_widths[i], ND_width(box) + 0.01);
      drawing.min_heights[i] = std::max(drawing.min_heights[i], ND_height(box) + 0.01);
    }
  }
}

std::string inline_svg(const std::string& svg) {
  const std::size_t start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

const char* const page_head = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>micrograd: watch backward</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 0.4em; }
.legend { margin: 0.3em 0; }
.swatch { padding: 0 0.4em; border: 1px solid #999; }
.controls { display: flex; align-items: center; gap: 0.6em; margin: 0.8em 0; }
#step { flex: 1; max-width: 40em; }
#counter { font-variant-numeric: tabular-nums; min-width: 5em; }
.caption { min-height: 3em; max-width: 60em; }
.frame svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>Watch backward</h1>
<p class="legend"><span class="swatch" style="background:#ffb861">orange</span> the node whose
grad_fn runs, <span class="swatch" style="background:#b9e3a4">green</span> the inputs it just
passed gradient to. Step with the slider, the buttons or the arrow keys (Home and End jump).</p>
)";

const char* const page_script = R"(<script>
(function () {
  'use strict';
  var frames = document.querySelectorAll('.frame');
  var slider = document.getElementById('step');
  var counter = document.getElementById('counter');
  var last = frames.length - 1;
  var current = 0;
  function show(index) {
    index = Math.max(0, Math.min(last, Math.round(Number(index))));
    if (isNaN(index)) index = 0;
    for (var i = 0; i < frames.length; i++) frames[i].hidden = (i !== index);
    current = index;
    slider.value = String(index);
    counter.textContent = index + ' / ' + last;
    document.body.setAttribute('data-frame', String(index));
  }
  slider.addEventListener('input', function () { show(slider.value); });
  document.getElementById('previous').addEventListener('click', function () { show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1); });
  document.addEventListener('keydown', function (event) {
    var targets = {ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last};
    if (!(event.key in targets)) return;
    event.preventDefault();  // also stops a focused slider from stepping a second time
    show(targets[event.key]);
  });
  show(new URLSearchParams(window.location.search).get('frame') || 0);
})();
</script>
</body>
</html>
)";

std::string frame_name(std::size_t frame, std::size_t last_frame) {
  const std::size_t digits = std::max<std::size_t>(3, std::to_string(last_frame).size());
  std::string number = std::to_string(frame);
  return "frame_" + std::string(digits - std::min(digits, number.size()), '0') + number + ".svg";
}

}  // namespace

BackwardAnimation watch_backward(const Value& root, const fs::path& folder,
                                 const Options& options) {
  validate(options, "watch_backward");
  std::lock_guard lock(graphviz_mutex());
  check_node_count(root, options.max_animation_nodes, "watch_backward", "max_animation_nodes",
                   true);
  const std::vector<Node*> order = drawing_order(root);
  const std::size_t count = order.size();
  check_size(layout_size(order), options.max_animation_nodes, "watch_backward",
             "max_animation_nodes", count + 1);

  std::vector<std::string> svgs;
  std::vector<std::string> captions;
  {
    const GradRestorer restorer(order);
    const GradHistory history = replay_backward(order);
    DiagnosticsCapture diagnostics("watch_backward");
    GVC_t* context = rendering_context(diagnostics);
    Drawing drawing{order, history.start, {}, {}, {}, {}, {}};
    fix_box_sizes(order, history, options, context, diagnostics, drawing);
    for (std::size_t frame = 0; frame <= count; ++frame) {
      if (frame > 0) {
        for (const auto& [index, grad] : history.changes[frame - 1]) drawing.grads[index] = grad;
      }
      drawing.value_fill.assign(count, Fill::none);
      drawing.op_fill.assign(count, Fill::none);
      const std::size_t current = count - std::max<std::size_t>(frame, 1);
      if (frame > 0) {
        for (std::uint32_t p = 0; p < order[current]->parent_count; ++p) {
          const Node* parent = &order[current]->parent(p);
          drawing.value_fill[index_of(order, parent)] = Fill::updated;
        }
        drawing.op_fill[current] = Fill::current;
      }
      drawing.value_fill[current] = Fill::current;
      drawing.graph_id = "f" + std::to_string(frame);
      Graph graph;
      build(graph.get(), drawing, options);
      Layout layout(context, graph.get(), diagnostics);
      svgs.push_back(render_laid_out(context, graph.get(), Format::svg, diagnostics));
      captions.push_back(caption(order, drawing.grads, frame, options));
    }
  }

  std::error_code error;
  fs::create_directories(folder, error);
  if (error || !fs::is_directory(folder)) {
    throw fs::filesystem_error(
        "watch_backward: cannot create the folder \"" + folder.string() + "\" for the frames",
        folder, error ? error : std::make_error_code(std::errc::not_a_directory));
  }
  BackwardAnimation animation;
  std::string page = page_head;
  page +=
      "<div class=\"controls\">\n"
      "<button id=\"previous\" type=\"button\" aria-label=\"previous step\">&#9664;</button>\n"
      "<input id=\"step\" type=\"range\" min=\"0\" max=\"" +
      std::to_string(count) +
      "\" value=\"0\" aria-label=\"step\">\n"
      "<button id=\"next\" type=\"button\" aria-label=\"next step\">&#9654;</button>\n"
      "<span id=\"counter\">0 / " +
      std::to_string(count) + "</span>\n</div>\n<div id=\"frames\">\n";
  for (std::size_t frame = 0; frame <= count; ++frame) {
    animation.frames.push_back(folder / frame_name(frame, count));
    write_file(animation.frames.back(), svgs[frame], "watch_backward");
    page += "<section class=\"frame\" id=\"frame-" + std::to_string(frame) + "\"" +
            (frame == 0 ? "" : " hidden") + ">\n<p class=\"caption\">" + captions[frame] +
            "</p>\n" + inline_svg(svgs[frame]) + "</section>\n";
  }
  page += "</div>\n";
  page += page_script;
  animation.page = folder / "backward.html";
  write_file(animation.page, page, "watch_backward");
  // Frames left over from an earlier, longer animation in the same folder would confuse a reader.
  for (std::size_t frame = count + 1;; ++frame) {
    if (!fs::remove(folder / frame_name(frame, count), error)) break;
  }
  return animation;
}

}  // namespace micrograd::viz
