// SPDX-License-Identifier: MIT
#include "pginit/page_runs.h"

#include <iterator>

namespace pginit {

void PageRuns::add(pfn_t start, pfn_t end)
{
  // Only the parts no run covers yet: a section is added once, but FLATMEM
  // and a vmemmap block may name pfns twice.
  pfn_t at = start;
  while (at < end) {
    auto it = runs_.upper_bound(at);
    if (it != runs_.begin() && std::prev(it)->second.end > at) {
      at = std::prev(it)->second.end;
      continue;
    }
    const pfn_t stop = it == runs_.end() ? end : std::min(end, it->first);
    runs_.emplace(at, Run{stop, PageRunState{}});
    at = stop;
  }
  auto first = runs_.lower_bound(start);
  coalesce(first == runs_.begin() ? first : std::prev(first), runs_.lower_bound(end));
}

const PageRunState* PageRuns::find(pfn_t pfn) const
{
  auto it = runs_.upper_bound(pfn);
  if (it == runs_.begin()) return nullptr;
  --it;
  return pfn < it->second.end ? &it->second.state : nullptr;
}

void PageRuns::split(pfn_t at)
{
  auto it = runs_.upper_bound(at);
  if (it == runs_.begin()) return;
  --it;
  if (it->first == at || it->second.end <= at) return;
  runs_.emplace_hint(std::next(it), at, Run{it->second.end, it->second.state});
  it->second.end = at;
}

void PageRuns::coalesce(std::map<pfn_t, Run>::iterator from, std::map<pfn_t, Run>::iterator to)
{
  if (from == runs_.end()) return;
  // One run past `to` too: the last changed run may now equal its right neighbour.
  auto stop = to == runs_.end() ? to : std::next(to);
  auto it = from;
  while (it != stop) {
    auto next = std::next(it);
    if (next == runs_.end()) break;
    if (it->second.end == next->first && it->second.state == next->second.state) {
      it->second.end = next->second.end;
      if (next == stop) stop = std::next(next);
      runs_.erase(next);
      continue;
    }
    it = next;
  }
}

bool FreeBlocks::is_head(pfn_t pfn, unsigned order, std::uint64_t zone_id) const
{
  auto it = runs_.upper_bound(pfn);
  if (it == runs_.begin()) return false;
  --it;
  const Run& r = it->second;
  return pfn < r.end && r.order == order && r.zone_id == zone_id && ((pfn - it->first) & ((pfn_t{1} << order) - 1)) == 0;
}

int FreeBlocks::head_order(pfn_t pfn) const
{
  auto it = runs_.upper_bound(pfn);
  if (it == runs_.begin()) return -1;
  --it;
  const Run& r = it->second;
  if (pfn >= r.end || ((pfn - it->first) & ((pfn_t{1} << r.order) - 1)) != 0) return -1;
  return static_cast<int>(r.order);
}

bool FreeBlocks::covers(pfn_t start, pfn_t end, unsigned order) const
{
  auto it = runs_.upper_bound(start);
  if (it == runs_.begin()) return false;
  --it;
  pfn_t at = start;
  while (at < end) {
    if (it == runs_.end() || it->first > at || it->second.end <= at || it->second.order != order ||
        ((at - it->first) & ((pfn_t{1} << order) - 1)) != 0)
      return false;
    at = std::min(end, it->second.end);
    ++it;
  }
  return true;
}

bool FreeBlocks::any_in(pfn_t start, pfn_t end) const
{
  auto it = runs_.lower_bound(start);
  if (it != runs_.end() && it->first < end) return true;
  return it != runs_.begin() && std::prev(it)->second.end > start;
}

void FreeBlocks::insert(pfn_t head, unsigned order, std::uint64_t zone_id, std::uint64_t count)
{
  const pfn_t end = head + (count << order);
  auto next = runs_.lower_bound(head);
  // Join the run that ends where this block starts, and the one that starts where it ends.
  if (next != runs_.begin()) {
    auto prev = std::prev(next);
    if (prev->second.end == head && prev->second.order == order && prev->second.zone_id == zone_id) {
      prev->second.end = end;
      if (next != runs_.end() && next->first == end && next->second.order == order &&
          next->second.zone_id == zone_id) {
        prev->second.end = next->second.end;
        runs_.erase(next);
      }
      return;
    }
  }
  if (next != runs_.end() && next->first == end && next->second.order == order && next->second.zone_id == zone_id) {
    const Run r{next->second.end, order, zone_id};
    runs_.erase(next);
    runs_.emplace(head, r);
    return;
  }
  runs_.emplace(head, Run{end, order, zone_id});
}

void FreeBlocks::erase(pfn_t head, unsigned order)
{
  auto it = std::prev(runs_.upper_bound(head));
  const pfn_t start = it->first;
  const Run r = it->second;
  const pfn_t end = head + (pfn_t{1} << order);
  if (start == head) runs_.erase(it);
  else it->second.end = head;
  if (end < r.end) runs_.emplace(end, Run{r.end, r.order, r.zone_id});
}

}  // namespace pginit
