// The studio's HTTP server: Boost.Beast (header-only, from Debian's libboost-dev) on one
// Asio thread. Each connection reads one request with a deadline and a body limit, answers it
// and closes. Simulations run on the session's worker thread, so answering never waits for a
// replicate (saving a report is the exception: it runs the session's programmes first).
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string_view>

#include "analysis/compare.hpp"
#include "analysis/report_template.hpp"
#include "sim/cli/studio/studio.hpp"
#include "sim/core/errors.hpp"

#if __has_include("klynge_studio_page.hpp")
#include "klynge_studio_page.hpp"
#define KLYNGE_HAS_STUDIO_PAGE 1
#else
#define KLYNGE_HAS_STUDIO_PAGE 0
#endif

namespace klynge::cli::studio {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// A client has this long to send its request and read the answer.
constexpr auto kRequestDeadline = std::chrono::seconds(10);

// The page, with the report's network style and drawing code (analysis/templates/network.css and
// network.js) put in where page.html marks their places, so the studio's network panel is drawn
// by the report's own code.
std::string page() {
#if KLYNGE_HAS_STUDIO_PAGE
  const auto& f = embedded::kStudioPage[0];
  std::string text(reinterpret_cast<const char*>(f.data), f.size);
  const auto put = [&](const std::string& mark, std::string_view with) {
    const auto at = text.find(mark);
    if (at != std::string::npos) text.replace(at, mark.size(), with);
  };
  put("/*KLYNGE_NETWORK_STYLE*/", analysis::report::page::file("network.css"));
  put("/*KLYNGE_NETWORK_SCRIPT*/", analysis::report::page::file("network.js"));
  return text;
#else
  return "<!doctype html><p>this klynge was built without the studio page</p>";
#endif
}

std::string error_json(const std::string& message, const std::string& key) {
  return "{\"ok\": false, \"error\": \"" + analysis::json_escape(message) + "\", \"key\": \"" +
         analysis::json_escape(key) + "\"}";
}

// The file name a save request names ("file": "..."), with the body's programme.
std::string file_field(const std::string& body) {
  // parse_programme ignores unknown keys; the file name is read the same strict way.
  Programme p = parse_programme(body);
  (void)p;
  std::istringstream in(body);
  boost::property_tree::ptree tree;
  boost::property_tree::read_json(in, tree);
  const auto file = tree.get_child_optional("file");
  if (!file || !file->empty()) throw InputError({"request", 0, 0}, "file", "expected a file name");
  return file->data();
}

struct Server {
  Session& session;
  std::string host_header_ok[3];
  bool check_host = true;
  const std::atomic<bool>* stop;
  std::ostream& err;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Server& server) : stream_(std::move(socket)), server_(server) {}

  void start() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(kRequestDeadline);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      respond(http::status::payload_too_large, "application/json",
              error_json("the request is larger than the limit (" +
                             std::to_string(kMaxBodyBytes / 1024) + " KB)",
                         ""));
      return;
    }
    if (ec) return;  // closed, timed out or not HTTP: nothing to answer
    const auto& request = parser_->get();
    try {
      handle(request);
    } catch (const InputError& e) {
      respond(http::status::bad_request, "application/json", error_json(e.what(), e.key()));
    } catch (const UsageError& e) {
      respond(http::status::bad_request, "application/json", error_json(e.what(), ""));
    } catch (const boost::property_tree::json_parser_error& e) {
      respond(http::status::bad_request, "application/json",
              error_json("request: expected JSON: " + e.message(), ""));
    } catch (const std::exception& e) {
      respond(http::status::internal_server_error, "application/json",
              error_json(std::string("internal error: ") + e.what(), ""));
    }
  }

  void handle(const http::request<http::string_body>& request) {
    // A page elsewhere may not drive this server through the user's browser (DNS rebinding):
    // on a loopback address only the loopback host names are answered.
    if (server_.check_host) {
      const std::string host(request[http::field::host]);
      bool ok = false;
      for (const auto& h : server_.host_header_ok) ok = ok || host == h;
      if (!ok) {
        respond(http::status::forbidden, "text/plain", "unexpected Host header\n");
        return;
      }
    }
    const std::string target(request.target());
    const bool get = request.method() == http::verb::get;
    const bool post = request.method() == http::verb::post;
    // A cross-site form cannot send JSON without a preflight, which this server never allows.
    if (post && request[http::field::content_type].find("application/json") != 0) {
      respond(http::status::unsupported_media_type, "application/json",
              error_json("expected Content-Type: application/json", ""));
      return;
    }
    if (get && (target == "/" || target == "/index.html")) {
      respond(http::status::ok, "text/html; charset=utf-8", page());
    } else if (get && target == "/api/state") {
      respond(http::status::ok, "application/json", server_.session.state_json());
    } else if (get && target == "/api/status") {
      respond(http::status::ok, "application/json", server_.session.status_json());
    } else if (get && target == "/api/network") {
      respond(http::status::ok, "application/json", server_.session.network_json());
    } else if (post && target == "/api/run") {
      const int id = server_.session.submit(parse_programme(request.body()));
      respond(http::status::ok, "application/json",
              "{\"ok\": true, \"id\": " + std::to_string(id) + "}");
    } else if (post && target == "/api/save-scenario") {
      const std::string file = file_field(request.body());
      const std::string path =
          server_.session.save_scenario(parse_programme(request.body()), file, false);
      respond(http::status::ok, "application/json",
              "{\"ok\": true, \"path\": \"" + analysis::json_escape(path) + "\"}");
    } else if (post && target == "/api/save-report") {
      const std::string file = file_field(request.body());
      const std::string path = server_.session.save_report(file, false, server_.stop);
      respond(http::status::ok, "application/json",
              "{\"ok\": true, \"path\": \"" + analysis::json_escape(path) + "\"}");
    } else if (get || post) {
      respond(http::status::not_found, "application/json", error_json("no such page", ""));
    } else {
      respond(http::status::method_not_allowed, "application/json",
              error_json("only GET and POST", ""));
    }
  }

  void respond(http::status status, const char* type, std::string body) {
    auto response = std::make_shared<http::response<http::string_body>>(status, 11);
    response->set(http::field::server, "klynge studio");
    response->set(http::field::content_type, type);
    response->set(http::field::cache_control, "no-store");
    // The page loads nothing from anywhere: inline script and style, requests to itself only.
    response->set("Content-Security-Policy",
                  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                  "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'");
    response->set("X-Content-Type-Options", "nosniff");
    response->keep_alive(false);
    response->body() = std::move(body);
    response->prepare_payload();
    stream_.expires_after(kRequestDeadline);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code, std::size_t) {
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Server& server_;
};

void accept(tcp::acceptor& acceptor, Server& server) {
  acceptor.async_accept([&acceptor, &server](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<Connection>(std::move(socket), server)->start();
    accept(acceptor, server);
  });
}

}  // namespace

void serve(Session& session, const std::string& host, int port, std::ostream& out,
           std::ostream& err, const std::atomic<bool>* stop) {
  asio::io_context io;
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec)
    throw UsageError("--host " + host + ": expected an IP address such as 127.0.0.1 (" +
                     ec.message() + ")");
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw UsageError("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message() +
                     " (another program on that port? try --port)");
  const int bound = acceptor.local_endpoint().port();
  const std::string shown_host = address.is_v6() ? "[" + host + "]" : host;

  Server server{session, {}, address.is_loopback(), stop, err};
  const std::string p = ":" + std::to_string(bound);
  server.host_header_ok[0] = shown_host + p;
  server.host_header_ok[1] = "localhost" + p;
  server.host_header_ok[2] = address.is_v6() ? "127.0.0.1" + p : "[::1]" + p;

  out << "klynge studio: http://" << shown_host << p << "/  (scenario folder " << session.folder()
      << ", " << session.replicates() << " replicates per run; Ctrl-C stops)\n"
      << std::flush;
  accept(acceptor, server);
  while (!stop->load()) io.run_for(std::chrono::milliseconds(100));
  acceptor.close(ec);
  session.stop();
  out << "klynge studio: stopped\n" << std::flush;
}

}  // namespace klynge::cli::studio
