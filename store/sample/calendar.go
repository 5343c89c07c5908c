package sample

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the sample lays out its week in New York on any machine

	"github.com/partnertiers/partnertiers/model"
)

// CalendarFile is the name the sample calendar is imported under.
const CalendarFile = "sample/calendar.ics"

// CalendarZone is where the sample calendar's weeks are laid out: the zone
// config.example.toml sets.
const CalendarZone = "America/New_York"

// Calendar is Dana Reyes's calendar for last week (the ISO week before
// today's, in CalendarZone), written the way real clients export it. Its
// story: the loudest entry-tier partner, Vocalis Partners, takes more
// manager hours than any Gold partner, while Gold partners get a weekly
// sync at best. It holds the cases the importer must get right: a weekly
// sync as a recurring series with one week excepted and last week's
// instance moved, an Outlook meeting with a Windows zone name, a
// cancelled, an all-day and a declined meeting, internal meetings, and an
// intro call no partner matches.
func Calendar(today time.Time) []byte {
	ny, err := time.LoadLocation(CalendarZone)
	if err != nil {
		panic(err) // time/tzdata is embedded by the importer's package
	}
	mon := model.LastWeek(today, ny).Start(ny)
	day := func(d int, hhmm string) string {
		t, _ := time.Parse("15:04", hhmm)
		return mon.AddDate(0, 0, d).Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute).Format("20060102T150405")
	}
	stamp := mon.AddDate(0, 0, -1).UTC().Format("20060102T150405Z")
	const dana = "ATTENDEE;CN=Dana Reyes;PARTSTAT=ACCEPTED:mailto:dana.reyes@acmecloud.example"
	var b strings.Builder
	w := func(lines ...string) {
		for _, l := range lines {
			b.WriteString(l + "\r\n")
		}
	}
	event := func(uid, summary, start, end, tzid string, extra ...string) {
		w("BEGIN:VEVENT", "UID:"+uid, "DTSTAMP:"+stamp, "SUMMARY:"+summary,
			"DTSTART;TZID="+tzid+":"+start, "DTEND;TZID="+tzid+":"+end)
		w(extra...)
		w("END:VEVENT")
	}
	w("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//partnertiers//sample//EN", "X-WR-CALNAME:Dana Reyes")

	// The weekly Bluefjord sync: Tuesdays 10:00 for ten weeks up to next
	// week, the week before last excepted, last week's moved to Wednesday.
	first := mon.AddDate(0, 0, 1-7*7).Add(10 * time.Hour)
	w("BEGIN:VEVENT", "UID:bluefjord-weekly@acmecloud.example", "DTSTAMP:"+stamp, "SEQUENCE:0",
		"SUMMARY:Bluefjord weekly pipeline sync",
		"DTSTART;TZID="+CalendarZone+":"+first.Format("20060102T150405"),
		"DTEND;TZID="+CalendarZone+":"+first.Add(time.Hour).Format("20060102T150405"),
		"RRULE:FREQ=WEEKLY;COUNT=10",
		"EXDATE;TZID="+CalendarZone+":"+day(1-7, "10:00"),
		dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ola.berg@bluefjord.example", "END:VEVENT")
	w("BEGIN:VEVENT", "UID:bluefjord-weekly@acmecloud.example", "DTSTAMP:"+stamp, "SEQUENCE:1",
		"RECURRENCE-ID;TZID="+CalendarZone+":"+day(1, "10:00"),
		"SUMMARY:Bluefjord weekly pipeline sync (moved)",
		"DTSTART;TZID="+CalendarZone+":"+day(2, "14:00"), "DTEND;TZID="+CalendarZone+":"+day(2, "15:00"),
		dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ola.berg@bluefjord.example", "END:VEVENT")

	// Outlook writes Windows zone names.
	event("040000008200E00074C5B7101A82E008-meridian", "Meridian QBR prep", day(3, "13:00"), day(3, "14:30"), "Eastern Standard Time",
		dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:raj.patel@meridiansg.example")

	// Vocalis Partners: the loudest entry-tier partner, every day.
	for i, m := range []struct {
		d              int
		from, to, what string
	}{
		{0, "09:00", "10:30", "Vocalis: deal desk questions"},
		{0, "16:00", "17:00", "Vocalis escalation"},
		{1, "13:00", "14:30", "Vocalis co-marketing brainstorm"},
		{2, "09:30", "11:00", "Vocalis: pricing exception"},
		{3, "15:00", "16:00", "Vocalis pipeline review"},
		{4, "10:00", "11:30", "Vocalis: conference booth plans"},
	} {
		event(fmt.Sprintf("vocalis-%d@acmecloud.example", i), m.what, day(m.d, m.from), day(m.d, m.to), CalendarZone,
			dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:kim@vocalis.example")
	}

	// Smaller partners, matched by domain or by name in the summary.
	event("canopy-1@acmecloud.example", "Canopy Logic enablement", day(1, "15:00"), day(1, "16:00"), CalendarZone,
		dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:lee@canopylogic.example")
	event("brightpath-1@acmecloud.example", "Brightpath Analytics intro to the Gold track", day(4, "14:00"), day(4, "14:30"), CalendarZone, dana)
	event("joint-1@acmecloud.example", "Joint account plan: Kestrel + Alderbrook", day(3, "10:00"), day(3, "11:00"), CalendarZone,
		dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@kestrel.example", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:jo@alderbrook.example")

	// What does not count: cancelled, all-day, declined, free.
	event("tidewater-1@acmecloud.example", "Tidewater QBR", day(2, "11:00"), day(2, "12:00"), CalendarZone,
		"STATUS:CANCELLED", dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@tidewater.example")
	w("BEGIN:VEVENT", "UID:summit-prep@acmecloud.example", "DTSTAMP:"+stamp, "SUMMARY:Partner summit prep (Northwind Global)",
		"DTSTART;VALUE=DATE:"+day(4, "00:00")[:8], "DTEND;VALUE=DATE:"+mon.AddDate(0, 0, 5).Format("20060102"), "END:VEVENT")
	event("quarry-1@acmecloud.example", "Quarry Lane roadmap", day(1, "16:00"), day(1, "17:00"), CalendarZone,
		"ATTENDEE;CN=Dana Reyes;PARTSTAT=DECLINED:mailto:dana.reyes@acmecloud.example", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:li@quarrylane.example")
	event("focus-1@acmecloud.example", "Focus time", day(2, "08:00"), day(2, "09:00"), CalendarZone, "TRANSP:TRANSPARENT")

	// Internal, and one meeting no partner matches.
	for d := range 5 {
		event(fmt.Sprintf("standup-%d@acmecloud.example", d), "Partner team standup", day(d, "08:30"), day(d, "08:45"), CalendarZone,
			dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam.okafor@acmecloud.example", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:priya.natarajan@acmecloud.example")
	}
	event("intro-1@acmecloud.example", "Intro call: possible reseller in Denver", day(3, "17:00"), day(3, "17:45"), CalendarZone,
		dana, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:pat@denver-it.example")
	w("END:VCALENDAR")
	return []byte(b.String())
}
