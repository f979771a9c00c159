// Graphviz's C libraries (2.43 and later) made safe to call from C++: one caller at a time, every
// diagnostic captured and thrown as GraphvizError, graphs and layouts freed by destructors, and
// the rendered bytes returned as a std::string. Nothing here knows about Values.
//
// Internal to micrograd::viz (not installed): the only header of ours that includes Graphviz's.
#pragma once

#include <mutex>
#include <string>

#include <cgraph.h>
#include <gvc.h>

#include "viz/graphviz.hpp"

namespace micrograd::viz::detail {

// cgraph's API takes `char*` for strings it only reads (it copies them with agstrdup).
inline char* c_string(const char* text) {
  return const_cast<char*>(text);
}
inline char* c_string(const std::string& text) {
  return const_cast<char*>(text.c_str());
}

// Graphviz's error level, error callback and plugin registry are process-wide, and cgraph is not
// thread-safe: one caller at a time. Hold it around everything below.
std::mutex& graphviz_mutex();

// Captures every Graphviz diagnostic for its lifetime. Create one with graphviz_mutex() held.
class DiagnosticsCapture {
 public:
  explicit DiagnosticsCapture(const char* function);
  ~DiagnosticsCapture();
  DiagnosticsCapture(const DiagnosticsCapture&) = delete;
  DiagnosticsCapture& operator=(const DiagnosticsCapture&) = delete;

  void discard() { text_.clear(); }

  // Throws GraphvizError when Graphviz said anything (a warning too: nothing we build should
  // cause one), or when `failed` (a call returned an error without a message).
  void check(const std::string& doing, bool failed = false);

 private:
  const char* function_;
  std::string text_;
  agerrlevel_t previous_level_;
  agusererrf previous_callback_;
};

// The one rendering context of the process: loading the plugins (layout engines, renderers, the
// text layout that measures labels) is slow, so it is created on first use and freed at exit.
GVC_t* rendering_context(DiagnosticsCapture& diagnostics);

// An empty directed graph whose agwrite() appends the DOT text to the std::string passed as its
// channel: agwrite(graph.get(), &text).
class Graph {
 public:
  Graph();
  ~Graph() { agclose(graph_); }
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  Agraph_t* get() const { return graph_; }

 private:
  Agraph_t* graph_;
};

// Lays `graph` out with dot; frees the layout (and everything rendering attached to the graph)
// when it goes out of scope.
class Layout {
 public:
  Layout(GVC_t* context, Agraph_t* graph, DiagnosticsCapture& diagnostics);
  ~Layout() {
    if (graph_ != nullptr) gvFreeLayout(context_, graph_);
  }
  Layout(const Layout&) = delete;
  Layout& operator=(const Layout&) = delete;

 private:
  GVC_t* context_;
  Agraph_t* graph_ = nullptr;
};

// Renders a laid-out graph as SVG, PNG or PDF (Format::from_extension means SVG).
std::string render_laid_out(GVC_t* context, Agraph_t* graph, Format format,
                            DiagnosticsCapture& diagnostics);

}  // namespace micrograd::viz::detail
