package ics

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// genCalendar writes a calendar of n events the way a busy partner team's
// export looks: a third are recurring series (weekly with EXDATEs and a moved
// occurrence, biweekly, monthly by weekday, daily stand-ups with COUNT),
// the rest single meetings; zones by IANA name, Windows name, display name
// and the file's own VTIMEZONE; attendees on each. Deterministic.
func genCalendar(n int) []byte {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//partnertiers//bench//EN\r\n")
	b.WriteString("BEGIN:VTIMEZONE\r\nTZID:Custom HQ\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
	tzids := []string{"America/New_York", "Europe/Berlin", "Pacific Standard Time", `"(UTC+07:00) Bangkok, Hanoi, Jakarta"`, "Custom HQ", ""}
	base := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	for i := range n {
		start := base.AddDate(0, 0, i%400).Add(time.Duration(i%9) * time.Hour)
		tz := tzids[i%len(tzids)]
		dt := func(name string, t time.Time) {
			if tz == "" {
				fmt.Fprintf(&b, "%s:%s\r\n", name, t.Format("20060102T150405Z"))
			} else {
				fmt.Fprintf(&b, "%s;TZID=%s:%s\r\n", name, tz, t.Format("20060102T150405"))
			}
		}
		uid := fmt.Sprintf("evt-%05d@bench.example.com", i)
		b.WriteString("BEGIN:VEVENT\r\nUID:" + uid + "\r\n")
		dt("DTSTART", start)
		dt("DTEND", start.Add(45*time.Minute))
		fmt.Fprintf(&b, "SUMMARY:Partner review %d with Acme Partner %d\\, QBR\r\nSEQUENCE:%d\r\n", i, i%80, i%3)
		fmt.Fprintf(&b, "ORGANIZER:mailto:manager%d@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED;CN=Partner:mailto:contact%d@partner%d.example\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:team%d@example.com\r\n", i%3, i, i%80, i%7)
		switch i % 12 {
		case 0:
			b.WriteString("RRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\n")
			dt("EXDATE", start.AddDate(0, 0, 7))
		case 1:
			b.WriteString("RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20271231T000000Z\r\n")
		case 2:
			b.WriteString("RRULE:FREQ=MONTHLY;BYDAY=-1FR\r\n")
		case 3:
			b.WriteString("RRULE:FREQ=DAILY;COUNT=30;BYDAY=MO,TU,WE,TH,FR\r\n")
		}
		b.WriteString("END:VEVENT\r\n")
		if i%12 == 0 {
			// A moved occurrence of the weekly series.
			b.WriteString("BEGIN:VEVENT\r\nUID:" + uid + "\r\n")
			dt("RECURRENCE-ID", start.AddDate(0, 0, 14))
			dt("DTSTART", start.AddDate(0, 0, 15))
			b.WriteString("SEQUENCE:4\r\nSUMMARY:Moved review\r\nEND:VEVENT\r\n")
		}
	}
	b.WriteString("END:VCALENDAR\r\n")
	return []byte(b.String())
}

func BenchmarkParse10k(b *testing.B) {
	data := genCalendar(10_000)
	windows := []struct {
		name     string
		from, to time.Time
	}{
		{"week", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)},
		{"year", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, w := range windows {
		b.Run(w.name, func(b *testing.B) {
			opts := Options{From: w.from, To: w.to, Zone: berlin}
			b.SetBytes(int64(len(data)))
			var meetings int
			for b.Loop() {
				res, err := Parse("bench.ics", data, opts)
				if err != nil || len(res.Warnings) > 0 {
					b.Fatal(err, res.Warnings)
				}
				meetings = len(res.Meetings)
			}
			b.ReportMetric(float64(meetings), "meetings")
		})
	}
}

// TestBenchCalendar keeps the benchmark's calendar honest: it parses
// without warnings and expands its series.
func TestBenchCalendar(t *testing.T) {
	data := genCalendar(240)
	res, err := Parse("bench.ics", data, Options{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Zone: berlin})
	if err != nil || len(res.Warnings) > 0 {
		t.Fatal(err, res.Warnings)
	}
	if len(res.Meetings) < 1000 {
		t.Errorf("only %d meetings from 240 events with series", len(res.Meetings))
	}
	checkResult(t, data, res, Options{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
}
