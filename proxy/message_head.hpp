#pragma once
// The start line and header fields of a message exactly as they go on the wire, written into one
// reusable string: a field costs two appends, where Beast's serializer walks a buffer sequence of
// four pieces per field on every write (a third of the proxy's instructions per request).
#include <boost/beast/http/message.hpp>
#include <string>

namespace switchyard::proxy {

// "GET /path HTTP/1.1\r\n" + "Name: value\r\n" per field + "\r\n", replacing `out`'s contents.
void write_head(const boost::beast::http::request_header<>& request, std::string& out);
// "HTTP/1.1 200 OK\r\n" + fields + "\r\n"; the reason phrase is the upstream's own, if it sent one.
void write_head(const boost::beast::http::response_header<>& response, std::string& out);

}  // namespace switchyard::proxy
