#include "ctl/ctl.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <utility>

#include "ctl/commands.hpp"
#include "ctl/table_commands.hpp"

namespace switchyard {

namespace {

using ctl::ExitCode;

constexpr const char* kDefaultServer = "http://127.0.0.1:9901";
constexpr const char* kStageHelp = "legacy, shadow, reads, new or final";
const std::vector<std::string> kStages{"legacy", "shadow", "reads", "new", "final"};

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

std::string footer() {
    return std::string(
               "\nServer and token: --server and --token, else SWITCHYARD_ADMIN_URL\n"
               "(default ") +
           kDefaultServer +
           ") and SWITCHYARD_TOKEN. Prefer SWITCHYARD_TOKEN: a --token\n"
           "shows in ps. The token is never printed.\n\n" +
           std::string(ctl::exit_code_help());
}

// --reason, --force and --if-match: every change takes them.
void add_change_options(CLI::App* command, ctl::ChangeArgs& change, bool if_match = true) {
    command->add_option("--reason", change.reason, "why (required; goes to the audit log)");
    command->add_flag("--force", change.force,
                      "accept moving a closed-door tenant back (its writes on new since the door "
                      "closed are lost for it); audited");
    if (if_match) {
        command->add_option("--if-match", change.if_match,
                            "only if the version is still this one (from get); else exit 7");
    }
}

}  // namespace

int run_ctl(int argc, char** argv) { return run_ctl(argc, argv, std::cin, std::cout, std::cerr); }

int run_ctl(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
    CLI::App app{"switchyard ctl: the on-call CLI over switchyard's admin API.", "switchyard ctl"};
    app.footer(footer());
    app.fallthrough();  // global options may follow the subcommand
    app.require_subcommand(1);

    ctl::GlobalOptions options;
    std::string server_flag;
    app.add_option("--server", server_flag, "admin API URL, e.g. http://127.0.0.1:9901");
    app.add_option("--token", options.token, "bearer token (better: SWITCHYARD_TOKEN)");
    app.add_flag("--json", options.json, "print the API's JSON as it is, for scripts");
    app.add_option("--timeout-ms", options.timeout_ms, "give up on the server after this long")
        ->check(CLI::PositiveNumber);

    auto* tenants = app.add_subcommand("tenants", "see and move tenants");
    tenants->require_subcommand(1);

    ctl::ListArgs list_args;
    auto* list =
        tenants->add_subcommand("list", "tenants with an entry of their own or a closed door");
    list->add_option("--limit", list_args.limit, "at most this many")->check(CLI::PositiveNumber);
    list->add_option("--after", list_args.after, "start after this tenant id (paging)");

    std::string get_id;
    auto* get = tenants->add_subcommand("get", "one tenant: stage, why, owner, door, version");
    get->add_option("ID", get_id, "tenant id")->required();

    ctl::SetArgs set_args;
    auto* set = tenants->add_subcommand("set", "move a tenant to a stage (pins it)");
    set->add_option("ID", set_args.tenant, "tenant id")->required();
    set->add_option("STAGE", set_args.stage, kStageHelp)->required()->check(CLI::IsMember(kStages));
    set->add_option("--note", set_args.note, "a note kept in the flag document");
    add_change_options(set, set_args.change);

    ctl::UnpinArgs unpin_args;
    auto* unpin =
        tenants->add_subcommand("unpin", "remove a tenant's entry: back to rollout/default");
    unpin->add_option("ID", unpin_args.tenant, "tenant id")->required();
    add_change_options(unpin, unpin_args.change);

    ctl::BatchArgs batch_args;
    auto* batch =
        tenants->add_subcommand("batch",
                                "many moves at once, all or nothing; FILE: "
                                "[{\"tenant\":…,\"stage\":…}|{\"tenant\":…,\"unpin\":true}]");
    batch->add_option("FILE", batch_args.file, "JSON file of changes; - for stdin")->required();
    add_change_options(batch, batch_args.change, false);

    auto* rollout =
        app.add_subcommand("rollout", "the cohort: tenants without an entry of their own");
    rollout->require_subcommand(1);
    auto* rollout_get = rollout->add_subcommand("get", "stage, percent, salt, version");
    ctl::RolloutArgs rollout_args;
    auto* rollout_set =
        rollout->add_subcommand("set", "change the cohort (closed-door tenants stay on new)");
    rollout_set->add_option("--stage", rollout_args.stage, kStageHelp)
        ->required()
        ->check(CLI::IsMember(kStages));
    rollout_set->add_option("--percent", rollout_args.percent, "0 to 100, steps of 0.01")
        ->required()
        ->check(CLI::Range(0.0, 100.0));
    rollout_set->add_option("--salt", rollout_args.salt,
                            "new salt: reshuffles who is in the cohort");
    add_change_options(rollout_set, rollout_args.change);

    std::string owner_id;
    bool quiet = false;
    auto* owner =
        app.add_subcommand("owner", "which side owns a tenant's writes (for background jobs)");
    owner->add_option("ID", owner_id, "tenant id")->required();
    owner->add_flag("-q,--quiet", quiet, "print only legacy or new");

    ctl::AuditArgs audit_args;
    auto* audit = app.add_subcommand("audit", "who changed what, when, why; newest first");
    audit->add_option("--limit", audit_args.limit, "at most this many")->check(CLI::PositiveNumber);
    audit->add_option("--tenant", audit_args.tenant, "only this tenant's entries");

    auto* stats =
        app.add_subcommand("stats", "requests, 5xx and latency per side and stage; a verdict");

    // The DynamoDB flag table itself, not the admin API: the table from --config or the flags.
    ctl::TableTarget table_target;
    const auto add_table_options = [&](CLI::App* command) {
        command->add_option("--config", table_target.config_file,
                            "a switchyard config whose flags.dynamodb names the table");
        command->add_option("--table", table_target.table, "the table's name");
        command->add_option("--region", table_target.region, "its AWS region");
        command->add_option("--endpoint", table_target.endpoint,
                            "another endpoint than AWS's (DynamoDB Local, dynalite)");
    };
    auto* init_table = app.add_subcommand(
        "init-table", "create the DynamoDB flag table (idempotent) and say what it made");
    add_table_options(init_table);
    ctl::ImportArgs import_args;
    auto* import_command = app.add_subcommand(
        "import", "make the DynamoDB flag table hold a flag document (checked, audited)");
    import_command->add_option("FILE", import_args.file, "a flag document; - for stdin")
        ->required();
    import_command->add_option("--reason", import_args.reason,
                               "why (required; goes to the audit in the table)");
    import_command->add_flag("--force", import_args.force,
                             "accept moving closed-door tenants back (their writes on new since "
                             "their doors closed are lost for them); audited");
    add_table_options(import_command);
    auto* export_command = app.add_subcommand(
        "export", "print the DynamoDB flag table as a flag document (the file store loads it)");
    add_table_options(export_command);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e, out, err);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e, out, err);
    } catch (const CLI::ParseError& e) {
        err << "switchyard ctl: " << e.what() << "\nRun switchyard ctl --help for usage.\n";
        return ctl::to_int(ExitCode::usage);
    }

    // A change without a reason is refused here, before anything reaches the server.
    const std::pair<const CLI::App*, const ctl::ChangeArgs*> changes[] = {
        {set, &set_args.change},
        {unpin, &unpin_args.change},
        {batch, &batch_args.change},
        {rollout_set, &rollout_args.change}};
    for (const auto& [command, change] : changes) {
        const bool blank = change->reason.find_first_not_of(" \t") == std::string::npos;
        if (command->parsed() && blank) {
            err << "switchyard ctl: a reason is required for every change (it goes to the audit "
                   "log): add --reason \"…\"\n";
            return ctl::to_int(ExitCode::usage);
        }
    }
    table_target.timeout_ms = options.timeout_ms;
    if (init_table->parsed()) return ctl::to_int(ctl::init_table(table_target, out, err));
    if (export_command->parsed()) return ctl::to_int(ctl::export_flags(table_target, out, err));
    if (import_command->parsed()) {
        if (import_args.reason.find_first_not_of(" \t") == std::string::npos) {
            err << "switchyard ctl: a reason is required for an import (it goes to the audit in "
                   "the table): add --reason \"…\"\n";
            return ctl::to_int(ExitCode::usage);
        }
        return ctl::to_int(ctl::import_flags(table_target, import_args, in, out, err));
    }

    options.server_flag = !server_flag.empty();
    options.server = !server_flag.empty() ? server_flag
                     : !environment("SWITCHYARD_ADMIN_URL").empty()
                         ? environment("SWITCHYARD_ADMIN_URL")
                         : kDefaultServer;
    if (options.token.empty()) options.token = environment("SWITCHYARD_TOKEN");
    auto url = ctl::parse_admin_url(options.server);
    if (!url) {
        err << "switchyard ctl: " << url.error().message << "\n";
        return ctl::to_int(ExitCode::usage);
    }
    const std::chrono::milliseconds timeout{options.timeout_ms};
    ctl::Console console(
        ctl::AdminClient(*url, options.token,
                         {std::min(timeout, std::chrono::milliseconds(3000)), timeout}),
        options, out, err);

    ExitCode code = ExitCode::usage;
    if (list->parsed()) code = ctl::tenants_list(console, list_args);
    if (get->parsed()) code = ctl::tenants_get(console, get_id);
    if (set->parsed()) code = ctl::tenants_set(console, set_args);
    if (unpin->parsed()) code = ctl::tenants_unpin(console, unpin_args);
    if (batch->parsed()) code = ctl::tenants_batch(console, batch_args, in, err);
    if (rollout_get->parsed()) code = ctl::rollout_get(console);
    if (rollout_set->parsed()) code = ctl::rollout_set(console, rollout_args);
    if (owner->parsed()) code = ctl::owner(console, owner_id, quiet);
    if (audit->parsed()) code = ctl::audit(console, audit_args);
    if (stats->parsed()) code = ctl::stats(console);
    return ctl::to_int(code);
}

}  // namespace switchyard
