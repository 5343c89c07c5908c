package cli

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// limitAfterGC collects until the soft memory limit satisfies ok: the
// follower sets it from a finalizer, after the collection, on its own
// goroutine. The deadline only keeps a broken follower from hanging.
func limitAfterGC(t *testing.T, ok func(limit int64) bool) int64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		limit := debug.SetMemoryLimit(-1)
		if ok(limit) {
			return limit
		}
		if time.Now().After(deadline) {
			t.Fatalf("the memory limit stays at %d MiB", limit>>20)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestFollowLiveHeap(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	stop := followLiveHeap(8 << 20)
	defer stop()

	// A heap that grows takes the limit with it, a quarter above.
	held := make([]byte, 96<<20)
	for i := range held {
		held[i] = byte(i)
	}
	limitAfterGC(t, func(limit int64) bool { return limit >= 120<<20 })
	runtime.KeepAlive(held)

	// Freed, the limit comes back down, never under the floor.
	held = nil
	got := limitAfterGC(t, func(limit int64) bool { return limit < 96<<20 })
	if got < 8<<20 {
		t.Errorf("limit %d MiB, under the floor", got>>20)
	}

	stop()
	runtime.GC()
	runtime.GC()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("after stop the limit is %d, was %d", got, before)
	}
}

func TestFollowLiveHeapKeepsTheFloor(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	stop := followLiveHeap(1 << 40)
	defer stop()
	if got := limitAfterGC(t, func(int64) bool { return true }); got != 1<<40 {
		t.Errorf("limit %d, want the floor", got)
	}
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("after stop the limit is %d, was %d", got, before)
	}
}
