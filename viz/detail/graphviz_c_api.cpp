// Graphviz's C API for micrograd::viz: the lock, diagnostics as exceptions, the rendering context,
// graphs that write DOT text into a std::string, layouts and rendering.
#include "viz/detail/graphviz_c_api.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace micrograd::viz::detail {
namespace {

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

}  // namespace

std::mutex& graphviz_mutex() {
  static std::mutex mutex;
  return mutex;
}

DiagnosticsCapture::DiagnosticsCapture(const char* function)
    : function_(function),
      previous_level_(agseterr(AGWARN)),
      previous_callback_(agseterrf(collect_diagnostic)) {
  agreseterrors();
  diagnostics_sink = &text_;
}

DiagnosticsCapture::~DiagnosticsCapture() {
  diagnostics_sink = nullptr;
  agseterrf(previous_callback_);
  agseterr(previous_level_);
}

void DiagnosticsCapture::check(const std::string& doing, bool failed) {
  if (text_.empty() && !failed) return;
  while (!text_.empty() && (text_.back() == '\n' || text_.back() == ' ')) text_.pop_back();
  std::string message = std::string(function_) + ": Graphviz reported a problem while " + doing +
                        ": " + (text_.empty() ? "(it failed without a message)" : text_);
  text_.clear();
  throw GraphvizError(message);
}

GVC_t* rendering_context(DiagnosticsCapture& diagnostics) {
  struct ContextDeleter {
    void operator()(GVC_t* context) const { gvFreeContext(context); }
  };
  static const std::unique_ptr<GVC_t, ContextDeleter> context(gvContext());
  if (!context) diagnostics.check("creating the Graphviz context", true);
  return context.get();
}

Graph::Graph() : graph_(agopen(c_string("micrograd"), Agdirected, &string_discipline)) {
  if (graph_ == nullptr) throw GraphvizError("agopen could not create a graph (out of memory?)");
}

Layout::Layout(GVC_t* context, Agraph_t* graph, DiagnosticsCapture& diagnostics)
    : context_(context) {
  const int status = gvLayout(context, graph, "dot");
  if (status == 0) graph_ = graph;
  try {
    diagnostics.check("laying out the graph with dot", status != 0);
  } catch (...) {  // a constructor that throws gets no destructor call: free the layout here
    if (graph_ != nullptr) gvFreeLayout(context_, graph_);
    throw;
  }
}

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

}  // namespace micrograd::viz::detail
