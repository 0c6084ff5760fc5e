// How a client event stream (stream_events in Client.h) ended when it did not fail.
#pragma once

namespace rollcall::daemon::http {

enum class StreamEnd {
  stopped,           // the callback returned false
  closed_by_server,  // the server ended the response
  deadline,          // the deadline passed while the stream was open
};

}  // namespace rollcall::daemon::http
