// The Graphviz exporter: cgraph builds the graph, gvc lays it out with dot and renders it.
//
// Everything Graphviz-specific stays in this file, so viz/graphviz.hpp needs no Graphviz header.
// Graphviz's C API (2.43 and later) keeps global state and is not const-correct; the helpers at
// the top deal with both, the rest builds micrograd's picture.
#include "viz/graphviz.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <cgraph.h>
#include <gvc.h>

#include "engine/graph.hpp"

namespace micrograd::viz {
namespace {

namespace fs = std::filesystem;

// ---- Graphviz plumbing --------------------------------------------------------------------------

// cgraph's API takes `char*` for strings it only reads (it copies them with agstrdup).
char* c_string(const char* text) {
  return const_cast<char*>(text);
}
char* c_string(const std::string& text) {
  return const_cast<char*>(text.c_str());
}

// Graphviz's error level, error callback and plugin registry are process-wide, and cgraph is not
// thread-safe: one caller at a time.
std::mutex& graphviz_mutex() {
  static std::mutex mutex;
  return mutex;
}

// Diagnostics go through agerr(): with a callback set (agseterrf) and the level lowered to
// warnings (agseterr), every message reaches us instead of stderr.
std::string* diagnostics_sink = nullptr;

int collect_diagnostic(char* text) {
  if (diagnostics_sink != nullptr && text != nullptr) {
    try {
      diagnostics_sink->append(text);
    } catch (...) {  // never let an exception unwind through Graphviz's C frames
    }
  }
  return 0;
}

// Captures every Graphviz diagnostic for its lifetime. Create one with graphviz_mutex() held.
class DiagnosticsCapture {
 public:
  explicit DiagnosticsCapture(const char* function)
      : function_(function),
        previous_level_(agseterr(AGWARN)),
        previous_callback_(agseterrf(collect_diagnostic)) {
    agreseterrors();
    diagnostics_sink = &text_;
  }
  ~DiagnosticsCapture() {
    diagnostics_sink = nullptr;
    agseterrf(previous_callback_);
    agseterr(previous_level_);
  }
  DiagnosticsCapture(const DiagnosticsCapture&) = delete;
  DiagnosticsCapture& operator=(const DiagnosticsCapture&) = delete;

  void discard() { text_.clear(); }

  // Throws GraphvizError when Graphviz said anything (a warning too: nothing we build should
  // cause one), or when `failed` (a call returned an error without a message).
  void check(const std::string& doing, bool failed = false) {
    if (text_.empty() && !failed) return;
    while (!text_.empty() && (text_.back() == '\n' || text_.back() == ' ')) text_.pop_back();
    std::string message = std::string(function_) + ": Graphviz reported a problem while " + doing +
                          ": " + (text_.empty() ? "(it failed without a message)" : text_);
    text_.clear();
    throw GraphvizError(message);
  }

 private:
  const char* function_;
  std::string text_;
  agerrlevel_t previous_level_;
  agusererrf previous_callback_;
};

// The one rendering context of the process: loading the plugins (layout engines, renderers, the
// text layout that measures labels) is slow, so it is created on first use and freed at exit.
GVC_t* rendering_context(DiagnosticsCapture& diagnostics) {
  struct ContextDeleter {
    void operator()(GVC_t* context) const { gvFreeContext(context); }
  };
  static const std::unique_ptr<GVC_t, ContextDeleter> context(gvContext());
  if (!context) diagnostics.check("creating the Graphviz context", true);
  return context.get();
}

// agwrite() writes through the graph's I/O discipline: this one appends to a std::string.
int append_to_string(void* channel, const char* text) {
  try {
    static_cast<std::string*>(channel)->append(text);
    return 0;
  } catch (...) {
    return EOF;
  }
}
int flush_nothing(void*) {
  return 0;
}
int read_nothing(void*, char*, int) {
  return 0;
}

Agiodisc_t string_io{read_nothing, append_to_string, flush_nothing};
Agdisc_t string_discipline{&AgMemDisc, &AgIdDisc, &string_io};

class Graph {
 public:
  Graph() : graph_(agopen(c_string("micrograd"), Agdirected, &string_discipline)) {
    if (graph_ == nullptr) throw GraphvizError("agopen could not create a graph (out of memory?)");
  }
  ~Graph() { agclose(graph_); }
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  Agraph_t* get() const { return graph_; }

 private:
  Agraph_t* graph_;
};

// Frees a layout (and everything rendering attached to the graph) when it goes out of scope.
class Layout {
 public:
  Layout(GVC_t* context, Agraph_t* graph, DiagnosticsCapture& diagnostics) : context_(context) {
    const int status = gvLayout(context, graph, "dot");
    if (status == 0) graph_ = graph;
    try {
      diagnostics.check("laying out the graph with dot", status != 0);
    } catch (...) {  // a constructor that throws gets no destructor call: free the layout here
      if (graph_ != nullptr) gvFreeLayout(context_, graph_);
      throw;
    }
  }
  ~Layout() {
    if (graph_ != nullptr) gvFreeLayout(context_, graph_);
  }
  Layout(const Layout&) = delete;
  Layout& operator=(const Layout&) = delete;

 private:
  GVC_t* context_;
  Agraph_t* graph_ = nullptr;
};

std::string render_laid_out(GVC_t* context, Agraph_t* graph, Format format,
                            DiagnosticsCapture& diagnostics) {
  const char* name = format == Format::png ? "png" : format == Format::pdf ? "pdf" : "svg";
  if (format == Format::png) {
    // Cairo cannot make bitmaps wider or taller than 32767 pixels; Graphviz would scale the
    // picture down and say so on stderr. Lower the resolution ourselves instead.
    constexpr double max_pixels = 32000.0;
    const boxf box = GD_bb(graph);
    const double points = std::max(box.UR.x - box.LL.x, box.UR.y - box.LL.y) + 16.0;
    double& dpi = GD_drawing(graph)->dpi;
    const double current = dpi > 0 ? dpi : 96.0;
    if (points * current / 72.0 > max_pixels) dpi = max_pixels * 72.0 / points;
  }
  char* data = nullptr;
  unsigned int length = 0;
  const int status = gvRenderData(context, graph, name, &data, &length);
  std::unique_ptr<char, void (*)(char*)> owned(data, [](char* p) {
    if (p != nullptr) gvFreeRenderData(p);
  });
  diagnostics.check(std::string("rendering ") + name, status != 0 || data == nullptr);
  return std::string(data, length);
}

// ---- Label text ---------------------------------------------------------------------------------

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

constexpr char32_t replacement_character = 0xFFFD;

// The length of the valid UTF-8 sequence at text[i] and its code point, or 0 if invalid (a stray
// continuation byte, a truncated or overlong sequence, a surrogate, or beyond U+10FFFF).
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, minimum = 0x80, code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, minimum = 0x800, code_point = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, minimum = 0x10000, code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

// What a label looks like on the picture: valid UTF-8 as typed; control characters as their
// Unicode "control pictures" (a newline shows as U+240A, DEL as U+2421); invalid bytes, C1
// controls and the non-characters XML forbids (U+FFFE, U+FFFF) as U+FFFD.
std::string displayed_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t code_point = 0;
    const std::size_t length = decode_utf8(text, i, code_point);
    if (length == 0) {
      append_utf8(out, replacement_character);
      ++i;
      continue;
    }
    if (code_point < 0x20) {
      append_utf8(out, 0x2400 + code_point);
    } else if (code_point == 0x7F) {
      append_utf8(out, 0x2421);
    } else if ((code_point >= 0x80 && code_point <= 0x9F) || code_point == 0xFFFE ||
               code_point == 0xFFFF) {
      append_utf8(out, replacement_character);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

// One field of a record label, escaped so Graphviz shows exactly `text`: the record syntax
// characters { } | < > and the backslash (which also starts Graphviz's \N, \n, \l escapes) get a
// backslash; spaces become hard spaces (Graphviz would merge plain ones) or, at the start, no-break
// spaces (it drops even hard ones there); & becomes &amp; (Graphviz decodes HTML entities such as
// &lt; in every label). Double quotes need nothing here: agwrite() escapes them in the DOT text.
std::string record_field(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  bool leading = true;
  for (const char c : displayed_text(text)) {
    if (leading && c == ' ') {
      out += "\u00A0";  // Graphviz drops leading spaces, even hard ones; a no-break space stays
      continue;
    }
    leading = false;
    switch (c) {
      case '{':
      case '}':
      case '|':
      case '<':
      case '>':
      case '\\':
        out += '\\';
        out += c;
        break;
      case ' ':
        out += "\\ ";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_number(double value, int precision) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  // Fixed notation like micrograd's %.4f, except where it would print a wall of digits.
  const char* format = std::fabs(value) < 1e9 ? "%.*f" : "%.*e";
  std::snprintf(buffer, sizeof buffer, format, precision, value);
  return buffer;
}

// What the op ellipse says: the op's name, with pow's exponent as micrograd writes it (**3).
std::string op_text(const Node& node) {
  const std::string_view op = node.op;
  if (op == "pow") {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "**%g", node.constant);
    return buffer;
  }
  return std::string(op);
}

// ---- Building the graph -------------------------------------------------------------------------

enum class Fill : std::uint8_t { none, highlight, current, updated };

const char* fill_color(Fill fill) {
  switch (fill) {
    case Fill::highlight:
      return "#ffe680";  // yellow: options.highlight
    case Fill::current:
      return "#ffb861";  // orange: the node whose grad_fn just ran
    case Fill::updated:
      return "#b9e3a4";  // green: the inputs it passed gradient to
    case Fill::none:
      break;
  }
  return "";
}

// The order nodes are numbered and declared in: depth first from the root, first operand first,
// each node right after its inputs (a topological order). dot stacks the nodes of a column in the
// order they are declared, so x1 is drawn above w1 and x1*w1 above x2*w2, as the expression reads.
// A walk of its own rather than topological_order(): pictures and ids must not change with how a
// sort breaks ties (the engine's visits the last operand first, for speed; a student's may do
// anything), and a graph can be drawn before the sort (exercise 4.1) is written.
std::vector<Node*> drawing_order(const Value& root) {
  std::vector<Node*> order;
  std::unordered_set<const Node*> visited{&root.node()};
  std::vector<std::pair<Node*, std::uint8_t>> stack{{&root.node(), 0}};  // node, next operand
  while (!stack.empty()) {
    auto& [node, next_operand] = stack.back();
    if (next_operand < node->parent_count) {
      Node* operand = node->parents[next_operand++].get();
      // emplace_back may move the stack: node and next_operand are re-read next time round.
      if (visited.insert(operand).second) stack.emplace_back(operand, 0);
    } else {
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;
}

// What to draw, indexed like `order` (drawing_order).
struct Drawing {
  const std::vector<Node*>& order;
  std::vector<double> grads;        // empty: each node's current grad
  std::vector<Fill> value_fill;     // empty: Options::highlight only
  std::vector<Fill> op_fill;        // empty: none
  std::vector<double> min_widths;   // empty: sized to their labels (inches otherwise)
  std::vector<double> min_heights;  //
  std::string graph_id;             // prefixes the element ids of the SVG (frames of one page)
};

void validate(const Options& options, const char* function) {
  if (options.precision < 0 || options.precision > 17) {
    throw std::invalid_argument(
        std::string(function) + ": options.precision is " + std::to_string(options.precision) +
        ", expected 0..17 digits after the decimal point (4 is micrograd's)");
  }
}

std::string value_label(const Node& node, double grad, const Options& options) {
  std::string label = record_field(node.label ? *node.label : std::string());
  label += "|data " + record_field(format_number(node.data, options.precision));
  if (options.show_grad) label += "|grad " + record_field(format_number(grad, options.precision));
  // With rankdir=LR Graphviz turns records on their side; braces turn the fields back into a row.
  return options.direction == Direction::left_to_right ? "{" + label + "}" : label;
}

std::string value_id(std::size_t index) {
  return "v" + std::to_string(index);
}
std::string op_id(std::size_t index) {
  return "op" + std::to_string(index);
}

std::string inches(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

// Builds the graph into `graph`. Attributes are declared up front, so agwrite() prints them in a
// fixed order and a node lists only what differs from the defaults.
void build(Agraph_t* graph, const Drawing& drawing, const Options& options) {
  const std::vector<Node*>& order = drawing.order;
  agattr(graph, AGRAPH, c_string("rankdir"),
         c_string(options.direction == Direction::left_to_right ? "LR" : "TB"));
  if (!drawing.graph_id.empty()) agattr(graph, AGRAPH, c_string("id"), c_string(drawing.graph_id));
  Agsym_t* shape = agattr(graph, AGNODE, c_string("shape"), c_string("record"));
  agattr(graph, AGNODE, c_string("fontname"), c_string("Helvetica,Arial,sans-serif"));
  Agsym_t* font_size = agattr(graph, AGNODE, c_string("fontsize"), c_string("11"));
  // An empty default means Graphviz's own default, and agwrite() leaves it out.
  Agsym_t* label = agattr(graph, AGNODE, c_string("label"), c_string(""));
  Agsym_t* style = agattr(graph, AGNODE, c_string("style"), c_string(""));
  Agsym_t* fill = agattr(graph, AGNODE, c_string("fillcolor"), c_string(""));
  Agsym_t* width = agattr(graph, AGNODE, c_string("width"), c_string(""));
  Agsym_t* height = agattr(graph, AGNODE, c_string("height"), c_string(""));
  Agsym_t* margin = agattr(graph, AGNODE, c_string("margin"), c_string(""));
  agattr(graph, AGEDGE, c_string("arrowsize"), c_string("0.6"));

  std::unordered_set<const Node*> highlighted;
  for (const Value& value : options.highlight) highlighted.insert(&value.node());
  std::unordered_map<const Node*, Agnode_t*> drawn;
  drawn.reserve(order.size());

  const auto set = [](Agnode_t* node, Agsym_t* attribute, const std::string& value) {
    agxset(node, attribute, c_string(value));
  };
  const auto set_fill = [&](Agnode_t* node, Fill how) {
    if (how == Fill::none) return;
    set(node, style, "filled");
    set(node, fill, fill_color(how));
  };

  for (std::size_t i = 0; i < order.size(); ++i) {
    const Node& node = *order[i];
    Agnode_t* box = agnode(graph, c_string(value_id(i)), 1);
    const double grad = drawing.grads.empty() ? node.grad : drawing.grads[i];
    set(box, label, value_label(node, grad, options));
    Fill value_fill = drawing.value_fill.empty() ? Fill::none : drawing.value_fill[i];
    if (value_fill == Fill::none && highlighted.count(&node) != 0) value_fill = Fill::highlight;
    set_fill(box, value_fill);
    if (!drawing.min_widths.empty()) {
      set(box, width, inches(drawing.min_widths[i]));
      set(box, height, inches(drawing.min_heights[i]));
    }
    drawn.emplace(&node, box);
    if (node.is_leaf()) continue;

    Agnode_t* op = agnode(graph, c_string(op_id(i)), 1);
    set(op, shape, "ellipse");
    set(op, label, record_field(op_text(node)));
    set(op, font_size, "10");
    set(op, width, "0.3");
    set(op, height, "0.3");
    set(op, margin, "0.04,0.02");
    if (!drawing.op_fill.empty()) set_fill(op, drawing.op_fill[i]);
    agedge(graph, op, box, nullptr, 1);
    // One edge per operand, so x*x shows two arrows from x: a node used twice.
    for (std::uint8_t p = 0; p < node.parent_count; ++p) {
      agedge(graph, drawn.at(node.parents[p].get()), op, nullptr, 1);
    }
  }
}

// ---- Size limits --------------------------------------------------------------------------------

// How much work dot's layout is. dot puts every node on a rank (a column, with rankdir=LR) and
// breaks each edge that skips ranks into a chain of virtual nodes, one per rank skipped; layout
// time grows steeply with all of them. The ranks here are estimated the way dot tends to place
// them: an op one rank after its latest input, a Value one after its op, a leaf just before its
// first use. A Value used far from where it was made (x in s = s + x*c, repeated) adds many.
struct LayoutSize {
  std::size_t value_nodes = 0;
  std::size_t op_nodes = 0;
  std::size_t virtual_nodes = 0;
  std::size_t total() const { return value_nodes + op_nodes + virtual_nodes; }
};

// A graph shaped like an MLP has about 2.5 layout nodes per Value node.
constexpr double layout_nodes_per_value = 2.5;

LayoutSize layout_size(const std::vector<Node*>& order) {
  LayoutSize size;
  size.value_nodes = order.size();
  std::unordered_map<const Node*, std::size_t> index;
  index.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) index.emplace(order[i], i);
  std::vector<long> rank(order.size(), 0);
  std::vector<long> first_use(order.size(), -1);  // rank of the first op that reads a node
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Node& node = *order[i];
    if (node.is_leaf()) continue;
    ++size.op_nodes;
    long op_rank = 0;
    for (std::uint8_t p = 0; p < node.parent_count; ++p) {
      op_rank = std::max(op_rank, rank[index.at(node.parents[p].get())] + 1);
    }
    rank[i] = op_rank + 1;
    for (std::uint8_t p = 0; p < node.parent_count; ++p) {
      long& first = first_use[index.at(node.parents[p].get())];
      if (first < 0 || op_rank < first) first = op_rank;
    }
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i]->is_leaf() && first_use[i] > 0) rank[i] = first_use[i] - 1;
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Node& node = *order[i];
    for (std::uint8_t p = 0; p < node.parent_count; ++p) {
      const long skipped = (rank[i] - 1) - rank[index.at(node.parents[p].get())] - 1;
      if (skipped > 0) size.virtual_nodes += static_cast<std::size_t>(skipped);
    }
  }
  return size;
}

// dot's layout time, fitted on MLP-shaped graphs on the 2-core development machine: 0.1 s at 300
// Value nodes, 0.9 s at 1,000, 11 s at 4,000, minutes at 8,000 (docs/viz.md). Graphs with many
// virtual nodes take longer than this.
double estimated_layout_seconds(const LayoutSize& size) {
  return 0.9 * std::pow(static_cast<double>(size.total()) / 2500.0, 2.3);
}

std::string describe_seconds(double seconds) {
  char buffer[64];
  if (seconds < 90) {
    if (seconds < 1.5) return "about a second";
    std::snprintf(buffer, sizeof buffer, "about %.0f seconds", seconds);
  } else if (seconds < 5400) {
    std::snprintf(buffer, sizeof buffer, "about %.0f minutes", seconds / 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "about %.0f hours", seconds / 3600);
  }
  return buffer;
}

// Refuses a graph over `limit` Value nodes, or one whose layout is as much work as that many.
void check_size(const LayoutSize& size, std::size_t limit, const char* function, const char* option,
                std::size_t layouts, const char* nodes = "Value nodes") {
  const auto equivalent_values =
      static_cast<std::size_t>(static_cast<double>(size.total()) / layout_nodes_per_value);
  const bool too_many_values = size.value_nodes > limit;
  // Some headroom over `limit`: only a graph that is mostly long edges trips this.
  const bool too_much_layout = equivalent_values > limit + limit / 5;
  if (!too_many_values && !too_much_layout) return;
  const double seconds =
      estimated_layout_seconds(size) * static_cast<double>(std::max<std::size_t>(1, layouts));
  std::string message =
      std::string(function) + ": the graph has " + std::to_string(size.value_nodes) + " " + nodes;
  if (too_many_values) {
    message += ", more than options." + std::string(option) + " = " + std::to_string(limit) +
               ". Laying it out with dot would take " + describe_seconds(seconds);
  } else {
    message +=
        ", but edges that skip many ranks (a Value used far from where it was made) add "
        "about " +
        std::to_string(size.virtual_nodes) + " hidden nodes for dot to place: as much work as " +
        std::to_string(equivalent_values) + " Value nodes, more than options." + option + " = " +
        std::to_string(limit) + ". Laying it out would take at least " + describe_seconds(seconds) +
        ", likely much longer";
  }
  if (layouts > 1) {
    // Each frame is a whole picture: about 1.4 kB of SVG per node.
    const double megabytes = 1.4e-3 * static_cast<double>(size.value_nodes * layouts);
    char page[96];
    std::snprintf(page, sizeof page, " (%zu layouts, one per frame, and a page of about %.0f MB)",
                  layouts, megabytes);
    message += page;
  }
  message +=
      ". Use to_dot(root) to get the DOT text (no size limit), draw a smaller graph (one neuron "
      "rather than the whole network), or raise options." +
      std::string(option) + " if you are willing to wait.";
  throw GraphTooLarge(message, size.value_nodes, limit);
}

// ---- Files --------------------------------------------------------------------------------------

Format format_for(const fs::path& path, Format requested) {
  if (requested != Format::from_extension) return requested;
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".svg") return Format::svg;
  if (extension == ".png") return Format::png;
  if (extension == ".pdf") return Format::pdf;
  throw std::invalid_argument("render: cannot tell the output format of \"" + path.string() +
                              "\" from its extension (" +
                              (extension.empty() ? std::string("none") : "\"" + extension + "\"") +
                              "): name the file .svg, .png or .pdf, or set options.format");
}

[[noreturn]] void cannot_write(const fs::path& path, const char* function, const std::string& why,
                               std::error_code error) {
  throw fs::filesystem_error(
      std::string(function) + ": cannot write \"" + path.string() + "\": " + why, path, error);
}

// Fails early, before any layout, on a path that cannot be written.
void check_output_path(const fs::path& path, const char* function) {
  const auto fail = [&](const std::string& why, std::errc error) {
    cannot_write(path, function, why, std::make_error_code(error));
  };
  if (path.empty() || !path.has_filename()) {
    fail("the path has no file name; pass a path such as \"graph.svg\"",
         std::errc::invalid_argument);
  }
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    fail("the folder \"" + folder.string() + "\" does not exist; create it first",
         std::errc::no_such_file_or_directory);
  }
  if (fs::is_directory(path, error)) {
    fail("it is a folder; pass a file path such as \"" + (path / "graph.svg").string() + "\"",
         std::errc::is_a_directory);
  }
}

// Writes `bytes` to a fresh file next to `path`, then renames it over `path`: readers see the old
// file or the whole new one, and a failure leaves nothing behind.
void write_file(const fs::path& path, std::string_view bytes, const char* function) {
  check_output_path(path, function);
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const auto fail = [&](const std::string& why, int error_number) {
    cannot_write(path, function, why + " (" + std::strerror(error_number) + ")",
                 std::error_code(error_number, std::generic_category()));
  };

  thread_local std::mt19937_64 names(std::random_device{}());
  fs::path temporary;
  std::FILE* file = nullptr;
  for (int attempt = 0; attempt < 100 && file == nullptr; ++attempt) {
    temporary =
        folder / ("." + path.filename().string() + ".tmp" + std::to_string(names() % 1000000));
    file = std::fopen(temporary.c_str(), "wbx");  // x: fails if it exists, never clobbers
    if (file == nullptr && errno != EEXIST) break;
  }
  if (file == nullptr) fail("cannot create a file in \"" + folder.string() + "\"", errno);

  int error_number = 0;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size()) error_number = errno;
  if (std::fclose(file) != 0 && error_number == 0) error_number = errno;
  std::error_code error;
  if (error_number != 0) {
    fs::remove(temporary, error);
    fail("writing failed", error_number);
  }
  fs::rename(temporary, path, error);
  if (error) {
    const std::error_code rename_error = error;
    fs::remove(temporary, error);
    cannot_write(path, function,
                 "renaming the finished file into place failed (" + rename_error.message() + ")",
                 rename_error);
  }
}

std::string render_locked(const Value& root, const Options& options, Format format,
                          const char* function) {
  validate(options, function);
  const std::vector<Node*> order = drawing_order(root);
  check_size(layout_size(order), options.max_nodes, function, "max_nodes", 1);
  DiagnosticsCapture diagnostics(function);
  GVC_t* context = rendering_context(diagnostics);
  Graph graph;
  build(graph.get(), Drawing{order, {}, {}, {}, {}, {}, {}}, options);
  diagnostics.check("building the graph");
  Layout layout(context, graph.get(), diagnostics);
  return render_laid_out(context, graph.get(), format, diagnostics);
}

// ---- Watch backward -----------------------------------------------------------------------------

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

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
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
  for (std::uint8_t p = 0; p < node.parent_count; ++p) {
    const Node* parent = node.parents[p].get();
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

std::string to_dot(const Value& root, const Options& options) {
  validate(options, "to_dot");
  std::lock_guard lock(graphviz_mutex());
  const std::vector<Node*> order = drawing_order(root);
  DiagnosticsCapture diagnostics("to_dot");
  Graph graph;
  build(graph.get(), Drawing{order, {}, {}, {}, {}, {}, {}}, options);
  diagnostics.check("building the graph");
  std::string text;
  const int status = agwrite(graph.get(), &text);
  diagnostics.check("writing the DOT text", status == EOF);
  return text;
}

std::string render_svg(const Value& root, const Options& options) {
  std::lock_guard lock(graphviz_mutex());
  return render_locked(root, options, Format::svg, "render_svg");
}

void render(const Value& root, const fs::path& path, const Options& options) {
  check_output_path(path, "render");
  const Format format = format_for(path, options.format);
  std::string bytes;
  {
    std::lock_guard lock(graphviz_mutex());
    bytes = render_locked(root, options, format, "render");
  }
  write_file(path, bytes, "render");
}

std::string render_dot(const std::string& dot, const Options& options) {
  validate(options, "render_dot");
  std::lock_guard lock(graphviz_mutex());
  DiagnosticsCapture diagnostics("render_dot");
  GVC_t* context = rendering_context(diagnostics);
  struct GraphCloser {
    void operator()(Agraph_t* graph) const { agclose(graph); }
  };
  // cgraph's lexer keeps what it read past a graph's closing brace for the next parse (so agread
  // can read several graphs from one file), and its line counter runs on. Parsing an empty text
  // consumes and drops that rest. Only the first graph of `dot` is drawn.
  const auto drop_rest = [&] {
    const std::unique_ptr<Agraph_t, GraphCloser> rest(agmemread(""));
    agreadline(1);
    diagnostics.discard();
  };
  drop_rest();
  const std::unique_ptr<Agraph_t, GraphCloser> graph(agmemread(dot.c_str()));
  diagnostics.check("reading the DOT text", graph == nullptr);
  drop_rest();
  LayoutSize size;  // DOT text has no Values: count its nodes, and each as 2.5 layout nodes
  size.value_nodes = static_cast<std::size_t>(agnnodes(graph.get()));
  size.op_nodes = static_cast<std::size_t>(static_cast<double>(size.value_nodes) * 1.5);
  check_size(size, options.max_nodes, "render_dot", "max_nodes", 1, "nodes");
  Layout layout(context, graph.get(), diagnostics);
  const Format format = options.format == Format::from_extension ? Format::svg : options.format;
  return render_laid_out(context, graph.get(), format, diagnostics);
}

BackwardAnimation watch_backward(const Value& root, const fs::path& folder,
                                 const Options& options) {
  validate(options, "watch_backward");
  std::lock_guard lock(graphviz_mutex());
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
        for (std::uint8_t p = 0; p < order[current]->parent_count; ++p) {
          const Node* parent = order[current]->parents[p].get();
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
