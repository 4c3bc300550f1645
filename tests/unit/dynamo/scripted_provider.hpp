#pragma once
// A provider that answers from a script, counting how often it was asked.
#include <deque>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo::test {

class ScriptedProvider : public CredentialsProvider {
  public:
    explicit ScriptedProvider(std::string name = "scripted") : name_(std::move(name)) {}
    std::string name() const override { return name_; }
    CredentialsLookup load() override {
        ++loads;
        if (answers.empty()) return no_credentials_here();
        auto answer = answers.front();
        if (answers.size() > 1) answers.pop_front();
        return answer;
    }

    std::deque<CredentialsLookup> answers;  // the last one repeats
    int loads = 0;

  private:
    std::string name_;
};

// What a provider answers when it finds credentials for `key_id`.
inline CredentialsLookup make_credentials(
    std::string key_id, std::optional<std::chrono::system_clock::time_point> expires) {
    Credentials credentials;
    credentials.access_key_id = std::move(key_id);
    credentials.secret_access_key = Secret("secret-" + credentials.access_key_id);
    credentials.expiration = expires;
    credentials.source = "script";
    return CredentialsLookup(std::move(credentials));
}

}  // namespace switchyard::dynamo::test
