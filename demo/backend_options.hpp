#pragma once
// What a demo backend is told on its command line.
#include <cstddef>
#include <cstdint>
#include <string>

namespace switchyard::demo {

struct BackendOptions {
    std::string name = "backend";  // answered as "side"
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: the OS picks; the bound address is printed
    unsigned latency_ms = 0;
    std::size_t body_bytes = 0;  // pad every answer to at least this many bytes
    unsigned threads = 1;
};

}  // namespace switchyard::demo
