#include "app/ready_file.hpp"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace switchyard::app {

void write_ready_file(const std::filesystem::path& path, const std::vector<std::string>& listen,
                      const std::string& admin) {
    nlohmann::json ready{{"listen", listen}, {"pid", ::getpid()}};
    if (!admin.empty()) ready["admin"] = admin;
    const auto temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << ready.dump() << '\n';
        if (!out) throw std::runtime_error("cannot write " + temporary);
    }
    std::filesystem::rename(temporary, path);
}

}  // namespace switchyard::app
