#include "transport/transport_actor.hpp"

namespace cafio::transport {

void session_table::insert(const std::string& sid, session_entry entry) {
  std::lock_guard<std::mutex> guard{mutex_};
  sessions_.emplace(sid, std::move(entry));
}

std::optional<session_entry> session_table::find(const std::string& sid) const {
  std::lock_guard<std::mutex> guard{mutex_};
  if (auto i = sessions_.find(sid); i != sessions_.end()) return i->second;
  return std::nullopt;
}

void session_table::erase(const std::string& sid) {
  std::lock_guard<std::mutex> guard{mutex_};
  sessions_.erase(sid);
}

std::vector<transport_actor> session_table::all() const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::vector<transport_actor> result;
  result.reserve(sessions_.size());
  for (auto& entry : sessions_) result.push_back(entry.second.actor);
  return result;
}

std::size_t session_table::size() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return sessions_.size();
}

}  // namespace cafio::transport
