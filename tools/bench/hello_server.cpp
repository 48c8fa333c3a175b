// The benchmark baseline: bare Pistache with the node's endpoint options and keep-alive handling,
// answering every request with a fixed envelope. What the node costs on top of HTTP is the ratio
// of its rps to this server's.

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <csignal>
#include <iostream>
#include <limits>

namespace {

using namespace Pistache;

class hello_handler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(hello_handler)

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    static const auto mime = Http::Mime::MediaType::fromString("application/json; charset=utf-8");
    const bool keep_alive = request.version() == Http::Version::Http11;
    writer.headers().remove<Http::Header::Connection>();
    writer.headers().add<Http::Header::Connection>(keep_alive ? Http::ConnectionControl::KeepAlive
                                                              : Http::ConnectionControl::Close);
    // Like the node's handler (rest/http_handler.cpp): no continuation on the send promise.
    writer.send(Http::Code::Ok, R"({"Status":"done","Code":"0","Data":null})", mime);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ovo_bench_hello PORT THREADS\n";
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  Http::Endpoint endpoint(
      Address(Ipv4::loopback(), Port(static_cast<uint16_t>(std::stoi(argv[1])))));
  endpoint.init(Http::Endpoint::options()
                    .threads(std::stoi(argv[2]))
                    .flags(Tcp::Options::ReuseAddr | Tcp::Options::NoDelay)
                    .maxRequestSize(48 * 1024 * 1024)
                    .maxResponseSize(std::numeric_limits<uint32_t>::max()));
  endpoint.setHandler(Http::make_handler<hello_handler>());
  endpoint.serveThreaded();
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  endpoint.shutdown();
  return 0;
}
