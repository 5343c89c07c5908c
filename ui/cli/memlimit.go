package cli

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The app holds a whole program in memory, about 1 KB a partner: 96 MB at
// 100k partners with a review open. Go's collector lets the heap grow to
// twice what is live before it collects, which took a 100k program to
// 225-275 MB of RSS. A soft memory limit (debug.SetMemoryLimit) a quarter
// above the live heap keeps the heap near what the app holds, and makes
// the runtime hand freed memory back sooner. The live heap changes with
// the store and while a review starts, so the limit follows it: after
// every collection it is set again from the heap that collection found
// live. Below appMemoryFloor Go's default rules alone; a GOMEMLIMIT the
// user set wins. The price: past the floor (programs of some 70k partners
// and more) the collector runs about four times as often as by default
// while the app loads, which is when it allocates.

// appMemoryFloor is the least the limit is set to: a program of 10k
// partners (10 MB live) never reaches it, and stays on Go's default rules.
const appMemoryFloor = 96 << 20

// heapFollower sets the soft memory limit after every collection.
type heapFollower struct {
	floor   int64
	mu      sync.Mutex
	stopped bool
	before  int64 // the limit before it began
	sample  []metrics.Sample
}

// followLiveHeap keeps the soft memory limit at max(floor, 5/4 of the live
// heap) until stop, which puts back the limit there was.
func followLiveHeap(floor int64) (stop func()) {
	f := &heapFollower{floor: floor, before: debug.SetMemoryLimit(-1), sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	f.follow()
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.stopped = true
		debug.SetMemoryLimit(f.before)
	}
}

// gcSentinel is garbage from the moment it is made: its finalizer runs
// after the next collection. It holds a pointer so it is never one of the
// tiny objects whose finalizers may not run.
type gcSentinel struct{ f *heapFollower }

// follow sets the limit from the last collection's live heap, and again
// after the next collection.
func (f *heapFollower) follow() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return
	}
	metrics.Read(f.sample)
	live := int64(f.sample[0].Value.Uint64())
	debug.SetMemoryLimit(max(f.floor, live+live/4))
	runtime.SetFinalizer(&gcSentinel{f}, func(s *gcSentinel) { s.f.follow() })
}
