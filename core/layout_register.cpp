#include "core/layout_register.hpp"

#include <algorithm>

namespace ovo {

namespace {

/// Where `name` stands among the sorted `members`, or members.size() when it is none of them.
std::size_t member_index(const std::vector<std::string>& members, const std::string& name) {
  const auto it = std::lower_bound(members.begin(), members.end(), name);
  return it != members.end() && *it == name ? static_cast<std::size_t>(it - members.begin())
                                            : members.size();
}

/// The names a per-slot list (lagging or arriving holders) gives `slot`: none past its end,
/// as in a layout from before that list.
const std::vector<std::string>& names_at(const std::vector<std::vector<std::string>>& lists,
                                         std::size_t slot) {
  static const std::vector<std::string> none;
  return slot < lists.size() ? lists[slot] : none;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

const std::vector<std::string>& agreed_layout::lagging_of(std::size_t slot) const {
  return names_at(lagging, slot);
}

bool agreed_layout::lags(std::size_t slot, const std::string& holder) const {
  return contains(lagging_of(slot), holder);
}

const std::vector<std::string>& agreed_layout::arriving_of(std::size_t slot) const {
  return names_at(arriving, slot);
}

bool agreed_layout::arrives(std::size_t slot, const std::string& name) const {
  return contains(arriving_of(slot), name);
}

bool agreed_layout::holds(std::size_t slot, const std::string& name) const {
  if (slot >= owners.size() || slot >= replicas.size()) return false;
  return owners[slot] == name || contains(replicas[slot], name);
}

bool agreed_layout::same_layout(const agreed_layout& other) const {
  if (!(members == other.members && member_ids == other.member_ids && owners == other.owners &&
        replicas == other.replicas && down == other.down))
    return false;
  // No list and a list of empty ones say the same: nothing lags, nothing arrives.
  const auto slots =
      std::max({lagging.size(), other.lagging.size(), arriving.size(), other.arriving.size()});
  for (std::size_t slot = 0; slot < slots; ++slot)
    if (lagging_of(slot) != other.lagging_of(slot) || arriving_of(slot) != other.arriving_of(slot))
      return false;
  return true;
}

bool agreed_layout::has_member(const std::string& name, uint64_t identity) const {
  if (member_index(members, name) == members.size()) return false;
  const uint64_t named = identity_of(name);
  return named == 0 || named == identity;
}

uint64_t agreed_layout::identity_of(const std::string& name) const {
  const auto index = member_index(members, name);
  return index < member_ids.size() ? member_ids[index] : 0;
}

layout_acceptor::layout_acceptor(std::string self, acceptor_state saved)
    : self_(std::move(self)), state_(std::move(saved)) {}

std::optional<layout_vote> layout_acceptor::cannot_vote(uint64_t epoch) const {
  layout_vote vote;
  const auto& installed = state_.installed;
  if (epoch <= installed.epoch) {
    vote.what = layout_vote::kind::stale;
    vote.installed = installed;
    return vote;
  }
  if (epoch > installed.epoch + 1) {
    vote.what = layout_vote::kind::behind;
    return vote;
  }
  // Epoch installed + 1 is voted on by the installed layout's members only, each under the
  // identity it names: a node that lost its votes must not vote again in an epoch it voted in.
  if (!installed.has_member(self_, state_.identity)) {
    vote.what = layout_vote::kind::refused;
    return vote;
  }
  return std::nullopt;
}

std::optional<layout_vote> layout_acceptor::cannot_vote(uint64_t epoch, const ballot& b) const {
  if (auto no = cannot_vote(epoch)) return no;
  if (!state_.promised || !(b < *state_.promised)) return std::nullopt;
  layout_vote vote;
  vote.what = layout_vote::kind::refused;
  vote.promised = *state_.promised;
  return vote;
}

layout_vote layout_acceptor::prepare(uint64_t epoch, const ballot& b) {
  if (auto no = cannot_vote(epoch, b)) return *no;
  state_.promised = b;
  layout_vote vote;
  vote.what = layout_vote::kind::granted;
  vote.promised = b;
  if (state_.accepted) {
    vote.has_accepted = true;
    vote.accepted_ballot = state_.accepted->first;
    vote.accepted = state_.accepted->second;
  }
  return vote;
}

layout_vote layout_acceptor::accept(const ballot& b, const agreed_layout& value) {
  if (auto no = cannot_vote(value.epoch, b)) return *no;
  state_.promised = b;
  state_.accepted = std::make_pair(b, value);
  layout_vote vote;
  vote.what = layout_vote::kind::granted;
  vote.promised = b;
  return vote;
}

bool layout_acceptor::learn(const agreed_layout& chosen) {
  if (chosen.epoch <= state_.installed.epoch) return false;
  state_.installed = chosen;
  // Promises and votes were for the epoch now installed (or an earlier one): the next epoch
  // starts with none.
  state_.promised.reset();
  state_.accepted.reset();
  return true;
}

layout_proposal::layout_proposal(const agreed_layout& installed, ballot b, agreed_layout wanted)
    : voters_(installed.members), ballot_(std::move(b)), wanted_(std::move(wanted)) {
  wanted_.epoch = installed.epoch + 1;
  value_ = wanted_;
}

bool layout_proposal::is_voter(const std::string& name) const {
  return std::binary_search(voters_.begin(), voters_.end(), name);
}

layout_proposal::step layout_proposal::count(const std::string& voter, const layout_vote& vote,
                                             std::vector<std::string>& granted) {
  if (!is_voter(voter)) return step::wait;
  auto seen = [&voter](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), voter) != names.end();
  };
  if (seen(granted) || seen(refused_)) return step::wait;  // a duplicate answer
  switch (vote.what) {
    case layout_vote::kind::granted:
      granted.push_back(voter);
      return granted.size() >= majority() ? step::send_accepts : step::wait;
    case layout_vote::kind::stale:
      if (vote.installed.epoch >= epoch()) {
        learned_ = vote.installed;
        return step::learn;
      }
      break;
    case layout_vote::kind::refused:
      if (higher_ < vote.promised) higher_ = vote.promised;
      break;
    case layout_vote::kind::behind:
      // It missed the epoch this one follows: it cannot vote until it learns it.
      break;
  }
  refused_.push_back(voter);
  return voters_.size() - refused_.size() < majority() ? step::lost : step::wait;
}

layout_proposal::step layout_proposal::on_promise(const std::string& voter,
                                                  const layout_vote& vote) {
  if (accepting_) return step::wait;  // a late promise: phase 2 runs already
  const auto next = count(voter, vote, promised_);
  if (vote.what == layout_vote::kind::granted && vote.has_accepted && is_voter(voter) &&
      (!value_from_ || *value_from_ < vote.accepted_ballot)) {
    // A value this epoch may already have chosen: it is the one to propose.
    value_from_ = vote.accepted_ballot;
    value_ = vote.accepted;
    value_.epoch = wanted_.epoch;
  }
  if (next != step::send_accepts) return next;
  accepting_ = true;
  refused_.clear();
  return next;
}

layout_proposal::step layout_proposal::on_accepted(const std::string& voter,
                                                   const layout_vote& vote) {
  if (!accepting_) return step::wait;
  const auto next = count(voter, vote, accepted_);
  return next == step::send_accepts ? step::chosen : next;
}

}  // namespace ovo
