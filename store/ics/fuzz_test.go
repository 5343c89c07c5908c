package ics

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParse: Parse never panics (not even one it recovers from itself),
// never takes long or hangs, and what it returns is well formed: meetings
// in the window and sorted, texts (summaries, UIDs, emails) and warnings
// clean of controls, escapes and bidi controls, warnings at lines of the
// file. The seed corpus is in testdata/fuzz/FuzzParse: small real
// exports, hand-made calendars and hostile ones.
func FuzzParse(f *testing.F) {
	opts := Options{
		From: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC),
		To:   time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Zone: berlin,
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<18 {
			return
		}
		// A hang never returns to be reported: the watchdog kills the
		// worker, and the fuzzer keeps the input as a crasher.
		watchdog := time.AfterFunc(20*time.Second, func() { panic("Parse has run for 20s") })
		start := time.Now()
		res, err := Parse("fuzz.ics", data, opts)
		watchdog.Stop()
		if took := time.Since(start); took > expandTimeLimit+3*time.Second {
			t.Fatalf("Parse took %s", took)
		}
		if err != nil {
			if !errors.Is(err, ErrNotCalendar) || len(res.Meetings) > 0 {
				t.Fatalf("unexpected error %v with %d meetings", err, len(res.Meetings))
			}
			return
		}
		for _, w := range res.Warnings {
			if strings.Contains(w.Msg, "internal error") {
				t.Fatalf("recovered panic: %s", w)
			}
		}
		checkResult(t, data, res, opts)
	})
}
