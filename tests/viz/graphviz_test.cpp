// Tests of viz/graphviz.hpp: the DOT text against reference files, label escaping (fuzzed), the
// rendered SVG parsed back (nodes, labels, data and grads), the size limit, output files and
// formats, and the "watch backward" frames. The page's slider is tested in Chromium by
// chromium_test.sh.
#include "viz/graphviz.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/graph.hpp"
#include "engine/micrograd_expressions.hpp"
#include "engine/modes.hpp"
#include "viz/detail/label_text.hpp"

namespace micrograd::viz {
namespace {

namespace fs = std::filesystem;
using detail::append_utf8;

// ---- Graphs -------------------------------------------------------------------------------------

// The lecture's tanh neuron: o = tanh(x1*w1 + x2*w2 + b).
struct Neuron {
  Value x1 = Value(2.0).label("x1");
  Value x2 = Value(0.0).label("x2");
  Value w1 = Value(-3.0).label("w1");
  Value w2 = Value(1.0).label("w2");
  Value b = Value(6.8813735870195432).label("b");
  Value x1w1 = (x1 * w1).label("x1*w1");
  Value x2w2 = (x2 * w2).label("x2*w2");
  Value sum = (x1w1 + x2w2).label("x1*w1 + x2*w2");
  Value n = (sum + b).label("n");
  Value o = n.tanh().label("o");
};

// micrograd's README expression (test_more_ops).
Value readme_expression() {
  return micrograd_tests::more_ops().g;
}

// s = x*c0 + x*c1 + ...: x feeds ops ever further to the right (long edges for dot).
Value shared_input_chain(int terms) {
  Value x = 1.0;
  Value s = 0.0;
  for (int i = 0; i < terms; ++i) s = s + x * 0.5;
  return s;
}

std::size_t count_ops(const Value& root) {
  std::size_t ops = 0;
  for (const Node* node : topological_order(root)) ops += node->is_leaf() ? 0 : 1;
  return ops;
}

std::string fixed(double value, int precision = 4) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", precision, value);
  return buffer;
}

// ---- Reading SVG --------------------------------------------------------------------------------

// XML character data to text. Graphviz writes the second of two spaces as &#160; (a no-break
// space, so the SVG keeps both); it reads as a space here.
std::string xml_text(std::string_view xml) {
  static const std::map<std::string, std::string> named = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
  std::string out;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] != '&') {
      out += xml[i];
      continue;
    }
    const std::size_t end = xml.find(';', i);
    const std::string name(xml.substr(i + 1, end - i - 1));
    if (name[0] == '#') {
      const bool hex = name.size() > 1 && name[1] == 'x';
      const auto code =
          static_cast<char32_t>(std::stoul(name.substr(hex ? 2 : 1), nullptr, hex ? 16 : 10));
      append_utf8(out, code);
    } else {
      out += named.at(name);
    }
    i = end;
  }
  // A no-break space (how the picture keeps runs of spaces) reads as a space.
  for (std::size_t at = out.find("\u00A0"); at != std::string::npos; at = out.find("\u00A0", at)) {
    out.replace(at, 2, " ");
  }
  return out;
}

struct SvgNode {
  std::string title;               // the DOT id: v3 or op3
  std::vector<std::string> texts;  // the fields of a record, the op of an ellipse
  std::string shape;               // the first polygon's points or the ellipse's centre
  std::string fill;                // the fill of that shape
};

std::string attribute(std::string_view tag, const std::string& name) {
  const std::size_t start = tag.find(" " + name + "=\"");
  if (start == std::string_view::npos) return "";
  const std::size_t value = start + name.size() + 3;
  return std::string(tag.substr(value, tag.find('"', value) - value));
}

std::vector<SvgNode> svg_nodes(const std::string& svg) {
  std::vector<SvgNode> nodes;
  for (std::size_t at = svg.find("class=\"node\""); at != std::string::npos;
       at = svg.find("class=\"node\"", at + 1)) {
    const std::string_view group(svg.data() + at, svg.find("</g>", at) - at);
    SvgNode node;
    const std::size_t title = group.find("<title>") + 7;
    node.title = xml_text(group.substr(title, group.find("</title>") - title));
    for (std::size_t text = group.find("<text"); text != std::string_view::npos;
         text = group.find("<text", text + 1)) {
      const std::size_t content = group.find('>', text) + 1;
      node.texts.push_back(
          xml_text(group.substr(content, group.find("</text>", content) - content)));
    }
    const std::size_t polygon = group.find("<polygon");
    const std::size_t ellipse = group.find("<ellipse");
    const std::size_t shape = std::min(polygon, ellipse);
    const std::string_view tag = group.substr(shape, group.find('>', shape) - shape);
    node.shape = shape == polygon ? attribute(tag, "points")
                                  : attribute(tag, "cx") + "," + attribute(tag, "cy");
    node.fill = attribute(tag, "fill");
    nodes.push_back(node);
  }
  return nodes;
}

const SvgNode& find_node(const std::vector<SvgNode>& nodes, const std::string& title) {
  for (const SvgNode& node : nodes) {
    if (node.title == title) return node;
  }
  throw std::runtime_error("no node " + title + " in the SVG");
}

// The numbering graphviz.hpp promises, written out independently (recursion is fine for the small
// graphs drawn here): depth first from the root, first operand first, each node after its inputs.
void append_in_reading_order(Node* node, std::vector<Node*>& order) {
  if (std::find(order.begin(), order.end(), node) != order.end()) return;
  for (std::uint32_t i = 0; i < node->parent_count; ++i) {
    append_in_reading_order(&node->parent(i), order);
  }
  order.push_back(node);
}
std::vector<Node*> reading_order(const Value& root) {
  std::vector<Node*> order;
  append_in_reading_order(&root.node(), order);
  return order;
}

// The SVG node that draws `value`: ids follow the reading order.
std::string id_of(const Value& root, const Value& value) {
  const std::vector<Node*> order = reading_order(root);
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == &value.node()) return "v" + std::to_string(i);
  }
  throw std::runtime_error("value not in the graph");
}

std::vector<std::string> fields(const std::string& label, double data, double grad) {
  return {label.empty() ? " " : label, "data " + fixed(data), "grad " + fixed(grad)};
}

// ---- Files --------------------------------------------------------------------------------------

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A fresh folder under the system's temporary folder, removed at the end of the test.
class ScratchFolder {
 public:
  ScratchFolder() {
    static std::mt19937_64 names(std::random_device{}());
    path_ = fs::temp_directory_path() / ("micrograd_viz_test_" + std::to_string(names()));
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code error;
    fs::permissions(path_, fs::perms::owner_all, error);
    fs::remove_all(path_, error);
  }
  const fs::path& path() const { return path_; }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

// ---- DOT text against reference files --------------------------------------------------------------

// agwrite's layout of whitespace and where it wraps long strings ("\" then a newline) have
// changed between Graphviz versions; the tokens have not.
std::string normalized(const std::string& dot) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < dot.size(); ++i) {
    if (dot[i] == '\\' && i + 1 < dot.size() && dot[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(dot[i]))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += dot[i];
  }
  return out;
}

// Compares with tests/reference/viz/<name>.dot. MICROGRAD_UPDATE_REFERENCE=1 rewrites the file instead.
void expect_reference(const std::string& name, const std::string& dot) {
  const fs::path path = fs::path(MICROGRAD_VIZ_REFERENCE_DIR) / (name + ".dot");
  if (std::getenv("MICROGRAD_UPDATE_REFERENCE") != nullptr) {
    std::ofstream(path, std::ios::binary) << dot;
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path
                                << " is missing; run with MICROGRAD_UPDATE_REFERENCE=1 once";
  EXPECT_EQ(normalized(dot), normalized(read_file(path)))
      << "to_dot's text differs from " << path << ". Actual text:\n"
      << dot << "\nIf the change is intended, rerun with MICROGRAD_UPDATE_REFERENCE=1 and review "
      << "the diff.";
}

// Labels that need escaping in a record: its syntax characters, Graphviz's \ escapes, HTML
// entities, runs of spaces, quotes, non-ASCII, a control character and an invalid byte.
Value escaping_graph() {
  Value a = Value(1.5).label("{a|b} <port>");
  Value b = Value(-2.0).label("say \"hi\" \\N \\n");
  Value c = Value(0.25).label("&amp; & &lt; <");
  Value d = Value(3.0).label("  two  spaces  ");
  Value e = Value(1.0).label("é ü 中文 😀 Δx");
  Value f = Value(2.0).label("tab\there, bad\xff byte");
  Value product = (a * a).label("a*a (a used twice)");
  Value power = ((product + b) * c).pow(3).label("((a*a+b)*c)**3");
  return (power - d / e + f).label("root");
}

TEST(ToDot, NeuronMatchesGolden) {
  Neuron neuron;
  neuron.o.backward();
  expect_reference("neuron", to_dot(neuron.o));
}

TEST(ToDot, TopToBottomWithoutGradsMatchesGolden) {
  Neuron neuron;
  Options options;
  options.direction = Direction::top_to_bottom;
  options.show_grad = false;
  options.precision = 2;
  options.highlight = {neuron.n, neuron.x1};
  expect_reference("neuron_top_to_bottom", to_dot(neuron.o, options));
}

TEST(ToDot, EscapedLabelsMatchGolden) {
  expect_reference("escaping", to_dot(escaping_graph()));
}

TEST(ToDot, LeafWithoutLabelMatchesGolden) {
  expect_reference("leaf", to_dot(Value(3.0)));
}

TEST(ToDot, SameGraphSameText) {
  Neuron first;
  Neuron second;
  EXPECT_EQ(to_dot(first.o), to_dot(first.o));
  EXPECT_EQ(to_dot(first.o), to_dot(second.o)) << "ids come from the topological order, not from "
                                                  "addresses, so equal graphs give equal text";
}

TEST(ToDot, HasNoSizeLimit) {
  Value sum = 0.0;
  for (int i = 0; i < 3000; ++i) sum = sum + i;
  Options options;
  options.max_nodes = 10;
  const std::string dot = to_dot(sum, options);
  EXPECT_NE(dot.find("v6000"), std::string::npos) << "every one of the 6001 nodes is in the text";
}

TEST(ToDot, AnOpWithManyInputsIsOneEllipseWithAnArrowFromEach) {
  // Inputs a, b, c, a: four arrows into one op, two of them from a (a used twice).
  const Value a = Value(1.0).label("a"), b = Value(2.0).label("b"), c = Value(3.0).label("c");
  const std::vector<Value> inputs = {a, b, c, a};
  const auto backward = [](Node&) {};
  const Value out = Value::from_op(7.0, "many", backward, inputs).label("out");
  const std::string dot = to_dot(out);
  std::size_t ellipses = 0, arrows_into_op = 0;
  std::istringstream lines(dot);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("ellipse") != std::string::npos) ++ellipses;
    if (line.find("-> ") != std::string::npos && line.find("op") != std::string::npos &&
        line.find("-> v") == std::string::npos) {
      ++arrows_into_op;
    }
  }
  EXPECT_EQ(ellipses, 1u) << dot;
  EXPECT_EQ(arrows_into_op, 4u) << "one arrow per input, a's twice:\n" << dot;
  EXPECT_NE(dot.find("label=many"), std::string::npos) << dot;
}

TEST(ToDot, RejectsBadPrecision) {
  Options options;
  options.precision = 18;
  EXPECT_THROW(to_dot(Value(1.0), options), std::invalid_argument);
  options.precision = -1;
  EXPECT_THROW(render_svg(Value(1.0), options), std::invalid_argument);
}

TEST(ToDot, MovedFromRootSaysSoInsteadOfCrashing) {
  Value root = Value(1.0) + 2.0;
  Value moved_to = std::move(root);
  // (Not common/errors.hpp's message_of: its namespace micrograd::testing would hide gtest's here.)
  try {
    (void)to_dot(root);  // NOLINT(bugprone-use-after-move): what this tests
    ADD_FAILURE() << "to_dot of a moved-from Value should throw";
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("this Value was moved from"), std::string::npos)
        << error.what();
  }
  EXPECT_NE(to_dot(moved_to).find("+"), std::string::npos) << "the Value it was moved into draws";
}

// ---- The rendered SVG, parsed -------------------------------------------------------------------

TEST(RenderSvg, NeuronHasEveryValueAndOpWithDataAndGrad) {
  Neuron neuron;
  neuron.o.backward();
  const std::vector<SvgNode> nodes = svg_nodes(render_svg(neuron.o));
  std::size_t values = 0;
  std::size_t ops = 0;
  for (const SvgNode& node : nodes) (node.title[0] == 'v' ? values : ops) += 1;
  EXPECT_EQ(values, 10u);
  EXPECT_EQ(ops, 5u) << "two *, two +, one tanh";
  for (const Value& value : {neuron.x1, neuron.x2, neuron.w1, neuron.w2, neuron.b, neuron.x1w1,
                             neuron.x2w2, neuron.sum, neuron.n, neuron.o}) {
    EXPECT_EQ(find_node(nodes, id_of(neuron.o, value)).texts,
              fields(value.label(), value.data(), value.grad()));
  }
  EXPECT_EQ(find_node(nodes, id_of(neuron.o, neuron.x1)).texts,
            (std::vector<std::string>{"x1", "data 2.0000", "grad -1.5000"}));
  EXPECT_EQ(find_node(nodes, id_of(neuron.o, neuron.o)).texts,
            (std::vector<std::string>{"o", "data 0.7071", "grad 1.0000"}));
  EXPECT_EQ(find_node(nodes, "op9").texts, std::vector<std::string>{"tanh"});
}

TEST(RenderSvg, ReadmeExpressionHasEveryNode) {
  Value g = readme_expression();
  g.backward();
  const std::vector<Node*> order = reading_order(g);
  const std::vector<SvgNode> nodes = svg_nodes(render_svg(g));
  EXPECT_EQ(nodes.size(), order.size() + count_ops(g));
  for (std::size_t i = 0; i < order.size(); ++i) {
    const SvgNode& node = find_node(nodes, "v" + std::to_string(i));
    EXPECT_EQ(node.texts, fields("", order[i]->data, order[i]->grad)) << node.title;
  }
  EXPECT_EQ(find_node(nodes, id_of(g, g)).texts[1], "data 24.7041");
}

TEST(RenderSvg, PowShowsItsExponentAndOptionsApply) {
  Value x = Value(3.0).label("x");
  Value y = x.pow(2).label("y");
  Options options;
  options.show_grad = false;
  options.precision = 1;
  options.highlight = {x};
  const std::vector<SvgNode> nodes = svg_nodes(render_svg(y, options));
  EXPECT_EQ(find_node(nodes, "op1").texts, std::vector<std::string>{"**2"});
  EXPECT_EQ(find_node(nodes, "v0").texts, (std::vector<std::string>{"x", "data 3.0"}));
  EXPECT_EQ(find_node(nodes, "v0").fill, "#ffe680") << "highlighted";
  EXPECT_EQ(find_node(nodes, "v1").fill, "none");
}

TEST(RenderSvg, EscapedLabelsShowAsTyped) {
  const Value root = escaping_graph();
  const std::vector<SvgNode> nodes = svg_nodes(render_svg(root));
  std::vector<std::string> labels;
  for (const SvgNode& node : nodes) {
    if (node.title[0] == 'v' && node.texts[0] != " ") labels.push_back(node.texts[0]);
  }
  std::sort(labels.begin(), labels.end());
  std::vector<std::string> expected = {
      "{a|b} <port>",       "say \"hi\" \\N \\n", "&amp; & &lt; <",
      "  two  spaces  ",    "é ü 中文 😀 Δx",      "tab\u2409here, bad\uFFFD byte",
      "a*a (a used twice)", "((a*a+b)*c)**3",     "root"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(labels, expected) << "a tab shows as U+2409 (the control picture), an invalid byte as "
                                 "U+FFFD, everything else exactly as typed";
}

TEST(RenderSvg, NodeUsedTwiceHasTwoEdges) {
  Value a = Value(3.0).label("a");
  const std::string svg = render_svg(a * a);
  std::size_t edges = 0;
  for (std::size_t at = svg.find("<title>v0&#45;&gt;op1</title>"); at != std::string::npos;
       at = svg.find("<title>v0&#45;&gt;op1</title>", at + 1)) {
    ++edges;
  }
  EXPECT_EQ(edges, 2u) << "a*a: one arrow per operand, so the picture shows a used twice";
}

// Labels from random bytes and from random code points must render without a Graphviz
// diagnostic (an exception) or anything on stderr (Pango complains there about bad UTF-8), and
// DOT text must survive a round trip through Graphviz's parser.
std::string random_bytes(std::mt19937_64& random) {
  std::string text(random() % 25, '\0');
  for (char& c : text) c = static_cast<char>(random() >> 56);
  return text;
}

// Random text from code points of many kinds, and what the picture must show for it.
std::pair<std::string, std::string> random_unicode(std::mt19937_64& random) {
  static const std::vector<std::pair<char32_t, char32_t>> ranges = {
      {0x20, 0x7E},       {0x20, 0x7E},      {0x20, 0x7E},     {0x00, 0x1F},     {0x7F, 0x9F},
      {0xA0, 0x24F},      {0x370, 0x3FF},    {0x400, 0x4FF},   {0x590, 0x6FF},   {0x300, 0x36F},
      {0x4E00, 0x9FFF},   {0xAC00, 0xD7A3},  {0xE000, 0xE0FF}, {0xFFF0, 0xFFFF}, {0x1F300, 0x1F64F},
      {0x1D400, 0x1D4FF}, {0x10000, 0x1007F}};
  std::string text;
  std::string shown;
  const std::size_t length = random() % 17;
  for (std::size_t i = 0; i < length; ++i) {
    const auto& [low, high] = ranges[random() % ranges.size()];
    const auto c = static_cast<char32_t>(low + random() % (high - low + 1));
    append_utf8(text, c);
    if (c < 0x20) {
      append_utf8(shown, 0x2400 + c);
    } else if (c == 0x7F) {
      append_utf8(shown, 0x2421);
    } else if ((c >= 0x80 && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF) {
      append_utf8(shown, 0xFFFD);
    } else {
      append_utf8(shown, c);
    }
  }
  return {text, shown};
}

// Each node's texts by its DOT id.
std::map<std::string, std::vector<std::string>> texts_by_id(const std::string& svg) {
  std::map<std::string, std::vector<std::string>> texts;
  for (const SvgNode& node : svg_nodes(svg)) texts[node.title] = node.texts;
  return texts;
}

TEST(RenderSvg, FuzzedLabelsRenderAsTypedWithoutDiagnostics) {
  std::mt19937_64 random(20240905);
  for (int round = 0; round < 24; ++round) {
    std::vector<std::string> expected;
    Value sum = Value(0.0).label("sum");
    for (int i = 0; i < 8; ++i) {
      std::string label;
      if (round % 2 == 0) {
        label = random_bytes(random);
      } else {
        auto [text, shown] = random_unicode(random);
        label = text;
        expected.push_back(shown.empty() ? " " : shown);
      }
      sum = (sum + Value(i).label(label)).label("sum");
    }
    testing::internal::CaptureStderr();
    std::string svg;
    std::string via_dot;
    try {
      svg = render_svg(sum);
      via_dot = render_dot(to_dot(sum));
    } catch (const std::exception& error) {
      testing::internal::GetCapturedStderr();
      FAIL() << "round " << round << ": " << error.what();
    }
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "") << "round " << round;
    const auto texts = texts_by_id(svg);
    EXPECT_EQ(texts, texts_by_id(via_dot)) << "round " << round << ": DOT text round trip";
    if (round % 2 == 1) {
      std::vector<std::string> leaves;
      for (const auto& [id, fields] : texts) {
        if (id[0] == 'v' && fields[0] != "sum") leaves.push_back(fields[0]);
      }
      std::vector<std::string> sorted_expected = expected;
      std::sort(leaves.begin(), leaves.end());
      std::sort(sorted_expected.begin(), sorted_expected.end());
      EXPECT_EQ(leaves, sorted_expected) << "round " << round;
    }
  }
}

// ---- Size limit ---------------------------------------------------------------------------------

TEST(RenderLimit, RefusesOverMaxNodesAndSaysWhatToDo) {
  Value sum = 0.0;
  for (int i = 0; i < 600; ++i) sum = sum + i;  // 1201 Value nodes
  const auto start = std::chrono::steady_clock::now();
  try {
    render_svg(sum);
    FAIL() << "a graph of 1201 Value nodes is over the default max_nodes";
  } catch (const GraphTooLarge& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.node_count(), 1201u);
    EXPECT_EQ(error.max_nodes(), 1000u);
    EXPECT_NE(message.find("1201 Value nodes"), std::string::npos) << message;
    EXPECT_NE(message.find("max_nodes = 1000"), std::string::npos) << message;
    EXPECT_NE(message.find("would take about"), std::string::npos) << message;
    EXPECT_NE(message.find("to_dot"), std::string::npos) << message;
    EXPECT_NE(message.find("smaller graph"), std::string::npos) << message;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1))
      << "refused before any layout";
  Options options;
  options.max_nodes = 1201;
  EXPECT_NO_THROW(render_svg(sum, options));
}

TEST(RenderLimit, RefusesLongEdgesThatMakeLayoutSlow) {
  // 227 Value nodes, but x feeds ops across hundreds of ranks: minutes of layout in dot.
  const Value sum = shared_input_chain(75);
  try {
    render_svg(sum);
    FAIL() << "the long edges make this graph as slow as thousands of nodes";
  } catch (const GraphTooLarge& error) {
    EXPECT_EQ(error.node_count(), 227u);
    EXPECT_NE(std::string(error.what()).find("skip many ranks"), std::string::npos) << error.what();
  }
  EXPECT_NO_THROW(render_svg(shared_input_chain(10)));
}

// A graph of millions of nodes is refused after counting a few thousand: walking it whole to
// estimate its layout took 6.4 s and 1.8 GB at ten million nodes.
TEST(RenderLimit, AHugeGraphIsRefusedAfterCountingTenTimesTheLimit) {
  Value sum = 0.0;
  for (int i = 0; i < 100000; ++i) sum = sum + 1.0;  // 200001 Value nodes
  try {
    render_svg(sum);
    FAIL() << "a graph of 200001 Value nodes is over the default max_nodes";
  } catch (const GraphTooLarge& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.node_count(), 10001u) << "the count stops past 10 x max_nodes: " << message;
    EXPECT_EQ(error.max_nodes(), 1000u);
    EXPECT_NE(message.find("more than 10000 Value nodes"), std::string::npos) << message;
    EXPECT_NE(message.find("max_nodes = 1000"), std::string::npos) << message;
    EXPECT_NE(message.find("at least"), std::string::npos) << message;
    EXPECT_NE(message.find("to_dot"), std::string::npos) << message;
  }
  ScratchFolder folder;
  Options options;
  options.max_animation_nodes = 60;
  try {
    watch_backward(sum, folder.path(), options);
    FAIL() << "200001 nodes is over max_animation_nodes";
  } catch (const GraphTooLarge& error) {
    EXPECT_EQ(error.node_count(), 601u) << error.what();
    EXPECT_NE(std::string(error.what()).find("more than 600 Value nodes"), std::string::npos)
        << error.what();
  }
}

TEST(RenderLimit, TimeEstimatesSaturateInsteadOfPrintingAbsurdNumbers) {
  // 9002 Value nodes, but x feeds ops across thousands of ranks: tens of millions of hidden nodes,
  // decades of layout by the estimate. Said so, not in hours with ten digits.
  const Value sum = shared_input_chain(3000);
  Options options;
  options.max_nodes = 10000;
  try {
    render_svg(sum, options);
    FAIL() << "the long edges make this graph as slow as millions of nodes";
  } catch (const GraphTooLarge& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("more than a year"), std::string::npos) << message;
    EXPECT_EQ(message.find("hours"), std::string::npos) << message;
  }
}

// ---- Output files and formats -------------------------------------------------------------------

TEST(Render, WritesSvgPngAndPdfByExtension) {
  ScratchFolder folder;
  Neuron neuron;
  render(neuron.o, folder.path() / "neuron.svg");
  render(neuron.o, folder.path() / "neuron.png");
  render(neuron.o, folder.path() / "neuron.PDF");
  EXPECT_EQ(read_file(folder.path() / "neuron.svg").rfind("<?xml", 0), 0u);
  EXPECT_EQ(read_file(folder.path() / "neuron.png").rfind("\x89PNG", 0), 0u);
  EXPECT_EQ(read_file(folder.path() / "neuron.PDF").rfind("%PDF-", 0), 0u);
  EXPECT_EQ(folder.files(), (std::vector<std::string>{"neuron.PDF", "neuron.png", "neuron.svg"}))
      << "no temporary files left behind";
}

TEST(Render, ExplicitFormatOverridesTheExtension) {
  ScratchFolder folder;
  Options options;
  options.format = Format::svg;
  render(Value(1.0), folder.path() / "graph.txt", options);
  EXPECT_EQ(read_file(folder.path() / "graph.txt").rfind("<?xml", 0), 0u);
  options.format = Format::png;
  render(Value(1.0), folder.path() / "graph", options);
  EXPECT_EQ(read_file(folder.path() / "graph").rfind("\x89PNG", 0), 0u);
}

TEST(Render, UnknownFormatIsAClearError) {
  ScratchFolder folder;
  for (const char* name : {"graph.xyz", "graph"}) {
    try {
      render(Value(1.0), folder.path() / name);
      FAIL() << name << " has no known format";
    } catch (const std::invalid_argument& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(".svg, .png or .pdf"), std::string::npos) << message;
      EXPECT_NE(message.find("options.format"), std::string::npos) << message;
    }
  }
  EXPECT_TRUE(folder.files().empty());
}

TEST(Render, MissingFolderIsAClearErrorAndWritesNothing) {
  ScratchFolder folder;
  const fs::path path = folder.path() / "no_such_folder" / "graph.svg";
  try {
    render(Value(1.0), path);
    FAIL() << "the folder does not exist";
  } catch (const fs::filesystem_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
    EXPECT_NE(message.find("no_such_folder"), std::string::npos) << message;
  }
  EXPECT_TRUE(folder.files().empty());
}

TEST(Render, FolderAsPathIsAClearError) {
  ScratchFolder folder;
  fs::create_directory(folder.path() / "graph.svg");
  EXPECT_THROW(render(Value(1.0), folder.path() / "graph.svg"), fs::filesystem_error);
  EXPECT_THROW(render(Value(1.0), folder.path() / ""), fs::filesystem_error);
  EXPECT_EQ(folder.files(), std::vector<std::string>{"graph.svg"});
}

TEST(Render, FailureKeepsTheOldFile) {
  ScratchFolder folder;
  const fs::path path = folder.path() / "graph.svg";
  std::ofstream(path) << "the old picture";
  Options options;
  options.max_nodes = 1;
  EXPECT_THROW(render(Value(1.0) + 2.0, path, options), GraphTooLarge);
  EXPECT_EQ(read_file(path), "the old picture");
  render(Value(1.0) + 2.0, path);
  EXPECT_EQ(read_file(path).rfind("<?xml", 0), 0u) << "a successful render replaces it";
  EXPECT_EQ(folder.files(), std::vector<std::string>{"graph.svg"});
}

TEST(Render, UnwritableFolderIsAClearErrorAndLeavesNothing) {
  if (geteuid() == 0) GTEST_SKIP() << "root may write to any folder";
  ScratchFolder folder;
  fs::permissions(folder.path(), fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(render(Value(1.0), folder.path() / "graph.svg"), fs::filesystem_error);
  fs::permissions(folder.path(), fs::perms::owner_all);
  EXPECT_TRUE(folder.files().empty());
}

// ---- Graphviz diagnostics -----------------------------------------------------------------------

TEST(RenderDot, GraphvizErrorsBecomeExceptionsNotStderr) {
  testing::internal::CaptureStderr();
  try {
    render_dot("digraph { a -> }");
    FAIL() << "a syntax error";
  } catch (const GraphvizError& error) {
    EXPECT_NE(std::string(error.what()).find("syntax error in line 1"), std::string::npos)
        << error.what();
  }
  try {
    render_dot("digraph { a [shape=no_such_shape] }");
    FAIL() << "a warning is raised too";
  } catch (const GraphvizError& error) {
    EXPECT_NE(std::string(error.what()).find("unknown shape no_such_shape"), std::string::npos)
        << error.what();
  }
  EXPECT_NO_THROW(render_dot("digraph { a } digraph { b -> }")) << "only the first graph counts";
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_NO_THROW(render_dot("digraph { a -> b }")) << "a diagnostic does not stick around";
  try {
    render_dot("digraph {\n a -> }");
    FAIL() << "a syntax error";
  } catch (const GraphvizError& error) {
    EXPECT_NE(std::string(error.what()).find("syntax error in line 2"), std::string::npos)
        << "line numbers start at 1 for every text: " << error.what();
  }
}

TEST(RenderDot, RendersToDotOutputLikeRenderSvg) {
  Neuron neuron;
  neuron.o.backward();
  // Same nodes and texts; the layout may differ (the DOT text lists nodes in another order).
  EXPECT_EQ(texts_by_id(render_dot(to_dot(neuron.o))), texts_by_id(render_svg(neuron.o)));
  Options options;
  options.format = Format::pdf;
  EXPECT_EQ(render_dot(to_dot(neuron.o), options).rfind("%PDF-", 0), 0u);
}

TEST(RenderSvg, ThreadsMayDrawAtTheSameTime) {
  Neuron neuron;
  const std::string expected = render_svg(neuron.o);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::string& result : results) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) result = render_svg(neuron.o) + to_dot(neuron.o);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) EXPECT_EQ(result, expected + to_dot(neuron.o));
}

// ---- Watch backward -----------------------------------------------------------------------------

TEST(WatchBackward, OneFramePerStepWithGradsFilledInSoFar) {
  ScratchFolder folder;
  Neuron neuron;
  const std::vector<Node*> order = reading_order(neuron.o);
  for (Node* node : order) node->grad = 7.0;  // whatever the graph held before
  const BackwardAnimation animation = watch_backward(neuron.o, folder.path());

  ASSERT_EQ(animation.frames.size(), order.size() + 1) << "the start, then one per node";
  EXPECT_EQ(animation.frames.front().filename(), "frame_000.svg");
  EXPECT_EQ(animation.frames.back().filename(), "frame_010.svg");
  EXPECT_EQ(animation.page, folder.path() / "backward.html");
  for (const Node* node : order) EXPECT_EQ(node->grad, 7.0) << "grads are restored afterwards";

  // Frame 0: only the root's grad is set. Frame 1: tanh passed 1 - o^2 = 0.5 to n.
  const auto frame = [&](std::size_t k) { return svg_nodes(read_file(animation.frames[k])); };
  EXPECT_EQ(find_node(frame(0), "v9").texts[2], "grad 1.0000");
  EXPECT_EQ(find_node(frame(0), "v8").texts[2], "grad 0.0000");
  EXPECT_EQ(find_node(frame(0), "v9").fill, "#ffb861") << "the root is where backward starts";
  EXPECT_EQ(find_node(frame(1), "v8").texts[2], "grad 0.5000");
  EXPECT_EQ(find_node(frame(1), "v8").fill, "#b9e3a4") << "n just received its gradient";
  EXPECT_EQ(find_node(frame(1), "op9").fill, "#ffb861") << "tanh's grad_fn is running";
  EXPECT_EQ(find_node(frame(1), "v0").texts[2], "grad 0.0000") << "x1 is not reached yet";

  // The last frame holds the grads of a whole backward pass from zero.
  for (Node* node : order) node->grad = 0.0;
  neuron.o.backward();
  const std::vector<SvgNode> last = frame(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(find_node(last, "v" + std::to_string(i)).texts[2], "grad " + fixed(order[i]->grad));
  }
  // Every frame has the same layout: the boxes stay put while the numbers change.
  for (std::size_t k = 1; k < animation.frames.size(); ++k) {
    const std::vector<SvgNode> nodes = frame(k);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      EXPECT_EQ(nodes[i].shape, last[i].shape) << "frame " << k << ", " << nodes[i].title;
    }
  }
}

TEST(WatchBackward, PageInlinesEveryFrameWithCaptions) {
  ScratchFolder folder;
  Value a = Value(3.0).label("a");
  Value y = (a * a).label("y");
  const BackwardAnimation animation = watch_backward(y, folder.path());
  const std::string page = read_file(animation.page);
  std::size_t sections = 0;
  for (std::size_t at = page.find("<section class=\"frame\""); at != std::string::npos;
       at = page.find("<section class=\"frame\"", at + 1)) {
    ++sections;
  }
  EXPECT_EQ(sections, 3u);
  EXPECT_EQ(page.find("<?xml"), std::string::npos) << "frames are inlined as <svg> elements";
  EXPECT_NE(page.find("id=\"f2_node"), std::string::npos) << "ids are unique per frame";
  for (const char* external : {"src=", "href=", "<link", "@import"}) {
    EXPECT_EQ(page.find(external), std::string::npos) << "self-contained: no " << external;
  }
  EXPECT_NE(page.find("<code>a</code>.grad is now 6.0000 (used twice"), std::string::npos);
  EXPECT_NE(page.find("type=\"range\" min=\"0\" max=\"2\""), std::string::npos);
}

TEST(WatchBackward, RemovesFramesOfAnEarlierLongerRun) {
  ScratchFolder folder;
  Neuron neuron;
  watch_backward(neuron.o, folder.path());
  watch_backward(neuron.x1 * neuron.w1, folder.path());
  EXPECT_EQ(folder.files(),
            (std::vector<std::string>{"backward.html", "frame_000.svg", "frame_001.svg",
                                      "frame_002.svg", "frame_003.svg"}));
}

TEST(WatchBackward, RestoresGradsWhenAGradFnThrows) {
  ScratchFolder folder;
  Value x = Value(0.0).label("x");
  Value y = x.pow(0.5).label("y");  // forward 0, backward 0.5 / sqrt(0) = inf
  x.grad() = 3.0;
  const AnomalyGuard anomaly;
  EXPECT_THROW(watch_backward(y, folder.path()), std::domain_error);
  EXPECT_EQ(x.grad(), 3.0);
  EXPECT_EQ(y.grad(), 0.0);
}

TEST(WatchBackward, RefusesLongAnimations) {
  ScratchFolder folder;
  Neuron neuron;
  Options options;
  options.max_animation_nodes = 5;
  try {
    watch_backward(neuron.o, folder.path(), options);
    FAIL() << "10 nodes, 11 frames";
  } catch (const GraphTooLarge& error) {
    EXPECT_NE(std::string(error.what()).find("max_animation_nodes = 5"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("one per frame"), std::string::npos);
  }
  EXPECT_TRUE(folder.files().empty());
}

}  // namespace
}  // namespace micrograd::viz
