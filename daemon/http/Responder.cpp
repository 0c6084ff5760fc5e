#include "daemon/http/Responder.h"

#include "daemon/http/ConnectionBase.h"
#include "daemon/http/EventStream.h"

namespace rollcall::daemon::http {

void Responder::respond(Response response) const {
  if (auto c = connection_.lock()) c->respond(serial_, std::move(response));
}

std::shared_ptr<EventStream> Responder::start_events() const {
  auto c = connection_.lock();
  if (c && c->start_events(serial_)) return std::make_shared<EventStream>(connection_);
  return std::make_shared<EventStream>(std::weak_ptr<ConnectionBase>{});
}

}  // namespace rollcall::daemon::http
