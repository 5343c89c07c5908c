package ics

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA zones on every machine, Windows included
)

// windowsZonesTSV maps Windows zone IDs and display names to IANA zones;
// zonesTXT lists the IANA names. Sources and licenses: data/README.md.
var (
	//go:embed data/windowszones.tsv
	windowsZonesTSV string
	//go:embed data/zones.txt
	zonesTXT string
)

type displayZone struct {
	offset int // seconds east of UTC, from "(UTC+07:00)"
	iana   string
}

type zoneTables struct {
	fold    map[string]string        // lower-case IANA name → name
	windows map[string]string        // lower-case Windows ID → IANA name
	display map[string][]displayZone // normalised place names → zones
}

var (
	tablesOnce sync.Once
	tables     zoneTables
)

func zoneData() *zoneTables {
	tablesOnce.Do(func() {
		tables = zoneTables{
			fold:    map[string]string{},
			windows: map[string]string{},
			display: map[string][]displayZone{},
		}
		for _, name := range strings.Split(zonesTXT, "\n") {
			if name = strings.TrimSpace(name); name != "" {
				tables.fold[strings.ToLower(name)] = name
			}
		}
		for _, line := range strings.Split(windowsZonesTSV, "\n") {
			if line == "" || line[0] == '#' {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) != 3 {
				continue
			}
			tables.windows[strings.ToLower(f[0])] = f[1]
			if off, places, ok := splitDisplay(f[2]); ok {
				key := normPlaces(places)
				tables.display[key] = append(tables.display[key], displayZone{offset: off, iana: f[1]})
			}
		}
	})
	return &tables
}

// splitDisplay splits a Windows display name "(UTC+07:00) Bangkok, Hanoi,
// Jakarta" (or the older "(GMT+07:00) ...") into its offset in seconds and
// its place names.
func splitDisplay(s string) (offset int, places string, ok bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		return 0, "", false
	}
	end := strings.IndexByte(s, ')')
	if end < 0 {
		return 0, "", false
	}
	offset, ok = parseNamedOffset(s[1:end])
	return offset, strings.TrimSpace(s[end+1:]), ok
}

// parseNamedOffset reads "UTC", "GMT", "UTC+07:00", "GMT-5", "UTC+0530".
func parseNamedOffset(s string) (int, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(s, "UTC") && !strings.HasPrefix(s, "GMT") {
		return 0, false
	}
	s = strings.TrimSpace(s[3:])
	if s == "" {
		return 0, true
	}
	sign := 1
	switch s[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return 0, false
	}
	s = strings.ReplaceAll(s[1:], ":", "")
	if len(s) == 0 || len(s) > 4 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	h, m := 0, 0
	switch len(s) {
	case 1, 2:
		fmt.Sscan(s, &h)
	case 3:
		h = int(s[0] - '0')
		m = int(s[1]-'0')*10 + int(s[2]-'0')
	case 4:
		h = int(s[0]-'0')*10 + int(s[1]-'0')
		m = int(s[2]-'0')*10 + int(s[3]-'0')
	}
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// normPlaces makes display names comparable across Windows versions: case,
// spacing and punctuation ignored.
func normPlaces(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// loadIANA loads an IANA zone by its exact name. Only names from the
// embedded list get here, so text from a file never probes the system's
// zoneinfo directory for other files; and "Local" or "" (this machine's
// zone) are refused.
func loadIANA(name string) *time.Location {
	if name == "" || name == "Local" || len(name) > 64 || strings.ContainsAny(name, " ()\\") {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// resolveKnown resolves a TZID from the tables alone, without the file's
// VTIMEZONEs: an IANA name in any case, also behind a vendor
// prefix ("/mozilla.org/20050126_1/America/New_York",
// "tzone://Microsoft/Utc"); a Windows zone ID; a Windows display name.
func resolveKnown(tzid string) *time.Location {
	t := zoneData()
	if name, ok := t.fold[strings.ToLower(tzid)]; ok {
		if loc := loadIANA(name); loc != nil {
			return loc
		}
	}
	if strings.Contains(tzid, "/") {
		segs := strings.Split(tzid, "/")
		for n := min(3, len(segs)-1); n >= 1; n-- {
			suffix := strings.Join(segs[len(segs)-n:], "/")
			if name, ok := t.fold[strings.ToLower(suffix)]; ok {
				if loc := loadIANA(name); loc != nil {
					return loc
				}
			}
		}
	}
	if name, ok := t.windows[strings.ToLower(strings.TrimSpace(tzid))]; ok {
		return loadIANA(name)
	}
	if off, places, ok := splitDisplay(tzid); ok {
		cands := t.display[normPlaces(places)]
		for _, c := range cands {
			if c.offset == off {
				return loadIANA(c.iana)
			}
		}
		if len(cands) > 0 {
			// The same places under another offset: Windows changed the
			// offset in the name, not the zone.
			return loadIANA(cands[0].iana)
		}
	}
	return nil
}

// location resolves a TZID for the calendar: the tables first, then the
// file's own VTIMEZONE, then the UTC offset a display name carries, then the
// configured zone. It warns once per TZID when it guesses. nil means the
// TZID was empty: the time is floating.
func (c *calendar) location(tzid string, line int) *time.Location {
	tzid = strings.TrimSpace(strings.Trim(strings.TrimSpace(tzid), `"`))
	if tzid == "" {
		return nil
	}
	if loc, ok := c.zones[tzid]; ok {
		return loc
	}
	loc := resolveKnown(tzid)
	if loc == nil {
		loc = c.fromVTimezone(tzid)
	}
	if loc == nil {
		if off, _, ok := splitDisplay(tzid); ok {
			loc = time.FixedZone(tzid, off)
			c.p.warnf(line, "TZID %q is not a known zone and has no VTIMEZONE; using its UTC offset %s without daylight saving", tzid, formatOffset(off))
		} else if off, ok := parseNamedOffset(tzid); ok {
			loc = time.FixedZone(tzid, off)
		}
	}
	if loc == nil {
		loc = c.p.opts.Zone
		c.p.warnf(line, "TZID %q is not a known zone and has no VTIMEZONE; read in %s", tzid, loc)
	}
	c.zones[tzid] = loc
	return loc
}

func formatOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign = '-'
		sec = -sec
	}
	return fmt.Sprintf("%c%02d:%02d", sign, sec/3600, sec/60%60)
}
