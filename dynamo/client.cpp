#include "dynamo/client.hpp"

#include <random>
#include <thread>

#include "dynamo/connection_pool.hpp"
#include "dynamo/credentials_cache.hpp"
#include "dynamo/default_chain.hpp"
#include "dynamo/operations_json.hpp"
#include "dynamo/signed_request.hpp"

namespace switchyard::dynamo {
namespace {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

std::string default_endpoint(const std::string& region) {
    const bool china = region.rfind("cn-", 0) == 0;
    return "https://dynamodb." + region + (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

DynamoError transport_error(const TransportError& failure, const std::string& endpoint) {
    DynamoError error;
    switch (failure.kind) {
        case TransportError::Kind::timeout:
            error.kind = ErrorKind::timeout;
            break;
        case TransportError::Kind::certificate:
            error.kind = ErrorKind::certificate_refused;
            error.message = "DynamoDB at " + endpoint + ": " + failure.message;
            return error;
        default:
            error.kind = ErrorKind::connection;
            break;
    }
    error.message = "DynamoDB at " + endpoint + " did not answer: " + failure.message;
    error.maybe_applied = failure.request_sent;
    return error;
}

DynamoError plain_error(ErrorKind kind, std::string message) {
    DynamoError error;
    error.kind = kind;
    error.message = std::move(message);
    return error;
}

std::string table_of(const TransactWriteItem& item) {
    return std::visit([](const auto& request) { return request.table; }, item);
}

// Calls `operation` and converts its answer with `convert`, passing errors through.
template <typename Convert>
auto call_converted(Client& client, std::string_view operation, const json& body,
                    const std::string& table, const CallOptions& options, Convert convert)
    -> Outcome<decltype(convert(std::declval<const json&>()))> {
    auto answer = client.call(operation, body, table, options);
    if (!answer) return answer.error();
    return convert(*answer);
}

}  // namespace

struct Client::Impl {
    ClientConfig config;
    Url endpoint;
    std::string endpoint_text;
    CredentialsCache credentials;
    RetryPolicy policy;
    ConnectionPool pool;
    std::mutex random_mutex;
    std::mt19937_64 random{std::random_device{}()};

    Impl(ClientConfig config_in, Url url, std::string text)
        : config(std::move(config_in)),
          endpoint(url),
          endpoint_text(std::move(text)),
          credentials(config.credentials ? config.credentials : make_default_chain()),
          policy(config.retry),
          pool(std::move(url), ConnectionOptions{.connect_timeout = config.connect_timeout,
                                                 .ca_file = config.ca_file}) {}

    std::uint64_t next_random() {
        std::lock_guard lock(random_mutex);
        return random();
    }

    Outcome<json> attempt(std::string_view operation, const std::string& payload,
                          const ErrorContext& context, SteadyClock::time_point deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        if (left.count() <= 0) {
            return plain_error(ErrorKind::timeout, context.operation + ": the call's time ran out");
        }
        auto found = credentials.get();
        if (!found) return plain_error(ErrorKind::no_credentials, found.error().message);
        auto request = signed_request(endpoint, config.region, operation, payload, *found,
                                      std::chrono::system_clock::now());
        auto connection = pool.take();
        auto answer = connection->exchange(request, std::min(left, config.attempt_timeout));
        if (!answer) return transport_error(answer.error(), endpoint_text);
        pool.give_back(std::move(connection));
        if (answer->status == 200) {
            auto body = json::parse(answer->body, nullptr, false);
            if (body.is_discarded() || !body.is_object()) {
                return plain_error(ErrorKind::other,
                                   context.operation + ": the answer is not a JSON object");
            }
            return body;
        }
        auto error = map_service_error(answer->status, answer->body, context);
        error.maybe_applied = answer->status >= 500;
        return error;
    }
};

Result<std::unique_ptr<Client>> Client::create(ClientConfig config) {
    const std::string text =
        config.endpoint.empty() ? default_endpoint(config.region) : config.endpoint;
    auto url = parse_url(text);
    if (!url) return Error{"dynamodb endpoint: " + url.error().message};
    auto impl = std::make_unique<Impl>(std::move(config), *url, text);
    return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

const ClientConfig& Client::config() const noexcept { return impl_->config; }
std::string Client::endpoint() const { return impl_->endpoint_text; }

Outcome<json> Client::call(std::string_view operation, const json& body, std::string_view table,
                           CallOptions options) {
    const ErrorContext context{std::string(operation), std::string(table), impl_->config.region};
    const std::string payload = body.dump();
    const auto deadline = SteadyClock::now() + options.timeout.value_or(impl_->config.call_timeout);
    const int max_attempts = options.max_attempts.value_or(impl_->policy.options().max_attempts);
    bool maybe_applied = false;
    bool renewed_credentials = false;
    for (int attempt = 1;; ++attempt) {
        auto outcome = impl_->attempt(operation, payload, context, deadline);
        if (outcome) return outcome;
        DynamoError error = outcome.error();
        error.attempts = attempt;
        // This attempt's answer lost, or an earlier one's: the write may be in. Only earlier
        // attempts counted before, so a last (or only) attempt lost on the way was reported
        // as surely not applied.
        maybe_applied = maybe_applied || error.maybe_applied;
        error.maybe_applied = maybe_applied;
        if (attempt >= max_attempts) return error;

        const bool credentials_refused = error.kind == ErrorKind::expired_credentials ||
                                         error.kind == ErrorKind::bad_credentials;
        if (credentials_refused && !renewed_credentials) {
            // Rotated or expired under us: load them again once, then believe DynamoDB.
            impl_->credentials.invalidate();
            renewed_credentials = true;
            continue;
        }
        const auto why = classify(error);
        if (why == RetryClass::never) return error;
        const auto wait = impl_->policy.delay(attempt, why, impl_->next_random());
        bool out_of_time = SteadyClock::now() + wait >= deadline;
        if (!out_of_time) {
            std::this_thread::sleep_for(wait);
            // The sleep may end late, and attempt() cannot spend less than a millisecond.
            out_of_time = deadline - SteadyClock::now() < std::chrono::milliseconds(1);
        }
        if (out_of_time) {
            // Failed for this attempt's reason (refused, a 5xx...): attempt()'s own "time ran
            // out" would hide it.
            error.message += " (gave up after " + std::to_string(attempt) +
                             " attempts: the call's time ran out)";
            return error;
        }
    }
}

Outcome<std::optional<Item>> Client::get_item(const GetItemRequest& request, CallOptions options) {
    auto answer = call("GetItem", to_request(request), request.table, options);
    if (!answer) return answer.error();
    const auto item = answer->find("Item");
    if (item == answer->end()) return std::optional<Item>();
    return std::optional<Item>(*item);
}

Outcome<WriteResult> Client::put_item(const PutItemRequest& request, CallOptions options) {
    return call_converted(*this, "PutItem", to_request(request), request.table, options,
                          write_result_from);
}

Outcome<WriteResult> Client::update_item(const UpdateItemRequest& request, CallOptions options) {
    return call_converted(*this, "UpdateItem", to_request(request), request.table, options,
                          write_result_from);
}

Outcome<WriteResult> Client::delete_item(const DeleteItemRequest& request, CallOptions options) {
    return call_converted(*this, "DeleteItem", to_request(request), request.table, options,
                          write_result_from);
}

Outcome<TransactWriteResult> Client::transact_write(TransactWriteRequest request,
                                                    CallOptions options) {
    if (request.client_request_token.empty()) {
        // The same token on every retry makes a retried transaction apply at most once.
        const std::uint64_t high = impl_->next_random();
        const std::uint64_t low = impl_->next_random();
        char token[33];
        std::snprintf(token, sizeof token, "%016llx%016llx", static_cast<unsigned long long>(high),
                      static_cast<unsigned long long>(low));
        request.client_request_token = token;
    }
    const std::string table = request.items.empty() ? std::string() : table_of(request.items[0]);
    auto answer = call("TransactWriteItems", to_request(request), table, options);
    if (!answer) return answer.error();
    return TransactWriteResult{write_result_from(*answer).consumed_write_units};
}

Outcome<Page> Client::query(const QueryRequest& request, CallOptions options) {
    return call_converted(*this, "Query", to_request(request), request.table, options, page_from);
}

Outcome<Page> Client::scan(const ScanRequest& request, CallOptions options) {
    return call_converted(*this, "Scan", to_request(request), request.table, options, page_from);
}

namespace {

// Reads pages with `read_page` until the last one, a stop from the handler, or max_pages.
template <typename Request, typename ReadPage>
Outcome<PagesSummary> read_pages(Request request, const PageHandler& on_page, std::size_t max_pages,
                                 ReadPage&& read_page) {
    PagesSummary summary;
    while (summary.pages < max_pages) {
        auto page = read_page(request);
        if (!page) return page.error();
        ++summary.pages;
        summary.items += page->items.size();
        summary.consumed_read_units += page->consumed_read_units;
        if (!on_page(*page)) {
            summary.stopped_early = true;
            return summary;
        }
        if (!page->last_evaluated_key) return summary;
        request.exclusive_start_key = std::move(page->last_evaluated_key);
    }
    summary.stopped_early = true;
    return summary;
}

}  // namespace

Outcome<PagesSummary> Client::query_pages(QueryRequest request, const PageHandler& on_page,
                                          CallOptions options, std::size_t max_pages) {
    return read_pages(std::move(request), on_page, max_pages,
                      [&](const QueryRequest& next) { return query(next, options); });
}

Outcome<PagesSummary> Client::scan_pages(ScanRequest request, const PageHandler& on_page,
                                         CallOptions options, std::size_t max_pages) {
    return read_pages(std::move(request), on_page, max_pages,
                      [&](const ScanRequest& next) { return scan(next, options); });
}

Outcome<TableDescription> Client::create_table(const CreateTableRequest& request,
                                               CallOptions options) {
    return call_converted(*this, "CreateTable", to_request(request), request.table, options,
                          table_from);
}

Outcome<TableDescription> Client::describe_table(const std::string& table, CallOptions options) {
    return call_converted(*this, "DescribeTable", json{{"TableName", table}}, table, options,
                          table_from);
}

Outcome<TableDescription> Client::delete_table(const std::string& table, CallOptions options) {
    return call_converted(*this, "DeleteTable", json{{"TableName", table}}, table, options,
                          table_from);
}

Outcome<TableDescription> Client::wait_until_active(const std::string& table,
                                                    std::chrono::milliseconds timeout,
                                                    std::chrono::milliseconds poll) {
    const auto deadline = SteadyClock::now() + timeout;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        auto description = describe_table(table, CallOptions{.timeout = std::max(left, poll)});
        if (!description) return description.error();
        if (description->status == "ACTIVE") return description;
        if (SteadyClock::now() + poll >= deadline) {
            return plain_error(ErrorKind::timeout, "table " + table + " is still " +
                                                       description->status + " after " +
                                                       std::to_string(timeout.count()) + " ms");
        }
        std::this_thread::sleep_for(poll);
    }
}

}  // namespace switchyard::dynamo
