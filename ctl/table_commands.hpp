#pragma once
// `switchyard ctl init-table | import | export`: the DynamoDB flag table itself, without a
// running proxy. The table comes from --config (its flags.dynamodb) or --table/--region/
// --endpoint; credentials from the usual AWS chain.
#include <iosfwd>
#include <string>

#include "ctl/exit_codes.hpp"

namespace switchyard::ctl {

struct TableTarget {
    std::string config_file;  // a switchyard config with flags.dynamodb
    std::string table;        // each overrides the config's
    std::string region;
    std::string endpoint;
    int timeout_ms = 10000;  // one table operation, retries included
};

struct ImportArgs {
    std::string file;  // a flag document; "-": stdin
    std::string reason;
    bool force = false;
};

ExitCode init_table(const TableTarget& target, std::ostream& out, std::ostream& err);
ExitCode import_flags(const TableTarget& target, const ImportArgs& args, std::istream& in,
                      std::ostream& out, std::ostream& err);
ExitCode export_flags(const TableTarget& target, std::ostream& out, std::ostream& err);

}  // namespace switchyard::ctl
