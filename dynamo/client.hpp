#pragma once
// A small synchronous DynamoDB client: the JSON 1.0 protocol over HTTPS (or plain HTTP to an
// explicit endpoint), SigV4-signed, with retries as the AWS SDKs do them. Meant for a background
// thread (the flag store's); calls block up to their timeout. Thread-safe: concurrent calls use
// separate kept-alive connections from a small pool.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamo/credentials.hpp"
#include "dynamo/error.hpp"
#include "dynamo/operations.hpp"
#include "dynamo/retry_policy.hpp"

namespace switchyard::dynamo {

struct ClientConfig {
    std::string region = "us-east-1";
    // Empty: https://dynamodb.<region>.amazonaws.com. Plain http:// only when named here
    // (dynalite, DynamoDB Local); https:// endpoints are verified like AWS's own.
    std::string endpoint{};
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds attempt_timeout{5000};  // one HTTP exchange
    std::chrono::milliseconds call_timeout{15000};    // a whole call, retries and waits included
    RetryOptions retry;
    std::shared_ptr<CredentialsProvider> credentials{};  // null: the default AWS chain
    std::string ca_file{};                               // empty: the system's trusted roots
};

struct CallOptions {
    std::optional<std::chrono::milliseconds> timeout{};  // instead of ClientConfig::call_timeout
    std::optional<int> max_attempts{};                   // instead of RetryOptions::max_attempts
};

// Called for each page of a Query or Scan; returns false to stop reading.
using PageHandler = std::function<bool(const Page& page)>;

class Client {
  public:
    // Fails when the endpoint is not a valid http(s) URL.
    static Result<std::unique_ptr<Client>> create(ClientConfig config);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    const ClientConfig& config() const noexcept;
    std::string endpoint() const;  // the URL calls go to

    // nullopt when there is no such item.
    Outcome<std::optional<Item>> get_item(const GetItemRequest& request, CallOptions options = {});
    Outcome<WriteResult> put_item(const PutItemRequest& request, CallOptions options = {});
    Outcome<WriteResult> update_item(const UpdateItemRequest& request, CallOptions options = {});
    Outcome<WriteResult> delete_item(const DeleteItemRequest& request, CallOptions options = {});
    // All or nothing; a failed condition answers transaction_cancelled with one reason per item.
    Outcome<TransactWriteResult> transact_write(TransactWriteRequest request,
                                                CallOptions options = {});

    // One page; pass its last_evaluated_key as the next request's exclusive_start_key.
    Outcome<Page> query(const QueryRequest& request, CallOptions options = {});
    Outcome<Page> scan(const ScanRequest& request, CallOptions options = {});
    // Every page in order, each call with its own timeout, until the last page, the handler
    // says stop, or `max_pages` pages were read.
    Outcome<PagesSummary> query_pages(QueryRequest request, const PageHandler& on_page,
                                      CallOptions options = {}, std::size_t max_pages = 1000000);
    Outcome<PagesSummary> scan_pages(ScanRequest request, const PageHandler& on_page,
                                     CallOptions options = {}, std::size_t max_pages = 1000000);

    Outcome<TableDescription> create_table(const CreateTableRequest& request,
                                           CallOptions options = {});
    Outcome<TableDescription> describe_table(const std::string& table, CallOptions options = {});
    // Polls DescribeTable every `poll` until the table is ACTIVE, within `timeout`.
    Outcome<TableDescription> wait_until_active(
        const std::string& table, std::chrono::milliseconds timeout = std::chrono::seconds(60),
        std::chrono::milliseconds poll = std::chrono::milliseconds(200));
    Outcome<TableDescription> delete_table(const std::string& table, CallOptions options = {});

    // Any operation, for what the typed calls do not cover: the body and answer as JSON.
    Outcome<nlohmann::json> call(std::string_view operation, const nlohmann::json& body,
                                 std::string_view table, CallOptions options = {});

  private:
    struct Impl;
    explicit Client(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_{};
};

}  // namespace switchyard::dynamo
