// switchyard-demo-backend: stands in for the legacy or the new deployment in the demo and the
// benchmarks. Answers every request with JSON naming its side and what it was asked.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "backend_server.hpp"

namespace {

// "127.0.0.1:9001" or "[::1]:0" into host and port; false when it is neither.
bool parse_listen(const std::string& text, switchyard::demo::BackendOptions& options) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    try {
        const unsigned long port = std::stoul(text.substr(colon + 1));
        if (port > 65535) return false;
        options.port = static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
        return false;
    }
    options.host = host;
    return !host.empty();
}

}  // namespace

int main(int argc, char** argv) {
    switchyard::demo::BackendOptions options;
    std::string listen = "127.0.0.1:0";
    CLI::App app{
        "A demo HTTP/1.1 backend for switchyard. Every request gets 200 and a JSON body:\n"
        "  {\"side\": NAME, \"method\": ..., \"path\": ..., \"tenant\": X-Tenant-Id or null,\n"
        "   \"request_id\": X-Request-Id or null}\n"
        "Request bodies are read and discarded; connections are kept alive.\n"
        "Example: switchyard-demo-backend --name legacy --listen 127.0.0.1:9001"};
    app.add_option("--name", options.name, "the side this backend plays, answered as \"side\"")
        ->capture_default_str();
    app.add_option("--listen", listen,
                   "HOST:PORT to listen on ([::1]:PORT for IPv6); port 0 lets the OS pick, and "
                   "the bound address is printed as 'listening on HOST:PORT'")
        ->capture_default_str();
    app.add_option("--latency-ms", options.latency_ms, "delay before each answer, milliseconds")
        ->capture_default_str();
    app.add_option("--body-bytes", options.body_bytes,
                   "pad each answer's JSON body to at least this many bytes")
        ->capture_default_str();
    app.add_option("--threads", options.threads, "threads serving connections")
        ->capture_default_str()
        ->check(CLI::Range(1u, 256u));
    CLI11_PARSE(app, argc, argv);

    if (!parse_listen(listen, options)) {
        std::fprintf(stderr, "--listen: expected HOST:PORT or [IPV6]:PORT, got '%s'\n",
                     listen.c_str());
        return 2;
    }
    return switchyard::demo::run_backend(options);
}
