package ics

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestHostileFilesStayBounded feeds shapes that would make a naive parser
// run for minutes or loop forever, and checks each ends with a warning
// saying which limit cut it.
func TestHostileFilesStayBounded(t *testing.T) {
	repeat := func(n int, f func(i int) string) string {
		var b strings.Builder
		b.WriteString("BEGIN:VCALENDAR\r\n")
		for i := range n {
			b.WriteString(f(i))
		}
		b.WriteString("END:VCALENDAR\r\n")
		return b.String()
	}
	event := func(i int, dtstart, rrule string) string {
		return fmt.Sprintf("BEGIN:VEVENT\r\nUID:%d\r\nDTSTART%s\r\nRRULE:%s\r\nEND:VEVENT\r\n", i, dtstart, rrule)
	}
	tests := []struct {
		name, data, warn string
		limit            time.Duration // expandTimeLimit; 300ms when zero
	}{
		{
			"sparse COUNT rules starting in year 1",
			repeat(3000, func(i int) string {
				return event(i, ":00010101T100000Z", "FREQ=DAILY;COUNT=100;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO")
			}),
			"recurrences no longer expanded: the file takes more than 300ms",
			0,
		},
		{
			"rules that never match",
			repeat(2000, func(i int) string { return event(i, ":20000101T100000Z", "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31") }),
			"RRULE matches no date",
			0,
		},
		{
			"every second and every minute",
			repeat(2, func(i int) string {
				return event(i, ":20000101T100000Z", []string{"FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=7;BYHOUR=3"}[i])
			}),
			"RRULE FREQ=SECONDLY is not expanded",
			0,
		},
		{
			"dense rules over the whole window",
			repeat(7, func(i int) string {
				return event(i, ":19900101T000000Z", "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,15,30,45")
			}),
			"recurrences stopped: the file generates more than 300000 occurrences",
			time.Minute,
		},
		{
			"time zones observed hourly",
			"BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\n" + strings.Repeat("BEGIN:STANDARD\r\nDTSTART:20000101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=HOURLY\r\nEND:STANDARD\r\n", 100) +
				"END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=X:20260101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			"line 8: STANDARD RRULE is not yearly",
			0,
		},
		{
			"thousands of unknown time zones",
			repeat(5000, func(i int) string {
				return fmt.Sprintf("BEGIN:VEVENT\r\nUID:%d\r\nDTSTART;TZID=Nowhere/Zone%d:20260101T100000\r\nEND:VEVENT\r\n", i, i)
			}),
			"too many warnings: 4000 more not listed",
			0,
		},
		{
			"deep nesting",
			"BEGIN:VCALENDAR\r\n" + strings.Repeat("BEGIN:X-A\r\n", 10000) + "END:VCALENDAR\r\n",
			"line 33: components nested too deep",
			0,
		},
	}
	opts := Options{From: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}
	defer func(d time.Duration) { expandTimeLimit = d }(expandTimeLimit)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expandTimeLimit = 300 * time.Millisecond
			if tt.limit > 0 {
				expandTimeLimit = tt.limit
			}
			// No stopwatch here (it fails on a busy machine or under the
			// race detector): the warning proves the limit cut the work,
			// and a hang fails the test binary's timeout.
			res, err := Parse("hostile.ics", []byte(tt.data), opts)
			if err != nil {
				t.Fatal(err)
			}
			if tt.warn != "" && !hasWarningContaining(res.Warnings, tt.warn) {
				t.Errorf("no warning %q in\n%s", tt.warn, warningList(res.Warnings[:min(len(res.Warnings), 10)]))
			}
		})
	}
}

func hasWarningContaining(ws []Warning, s string) bool {
	for _, w := range ws {
		if strings.Contains(w.String(), s) {
			return true
		}
	}
	return false
}
