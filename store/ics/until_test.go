package ics

import (
	"testing"
	"time"
)

// UNTIL as a DATE includes occurrences on that day.
func TestUntilDateIncludesThatDay(t *testing.T) {
	data := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTART:20261103T100000\r\nDTEND:20261103T110000\r\nRRULE:FREQ=DAILY;UNTIL=20261105\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	res, err := Parse("u.ics", []byte(data), Options{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(res.Meetings) != 3 {
		t.Fatalf("%d meetings, %v; want 3 (3, 4 and 5 November)", len(res.Meetings), err)
	}
}
