package ics

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// param is one property parameter: NAME=value[,value...].
type param struct {
	name   string // upper case
	values []string
}

// prop is one content line: NAME;PARAM=...:value.
type prop struct {
	name   string // upper case
	params []param
	value  string
	line   int // first physical line
}

// param returns the first value of the named parameter, or "".
func (p *prop) param(name string) string {
	for _, pa := range p.params {
		if pa.name == name && len(pa.values) > 0 {
			return pa.values[0]
		}
	}
	return ""
}

// component is BEGIN:NAME ... END:NAME with its properties in file order.
type component struct {
	name     string // upper case
	line     int    // the BEGIN line
	props    []*prop
	children []*component
}

// get returns the first property with the name, or nil.
func (c *component) get(name string) *prop {
	for _, p := range c.props {
		if p.name == name {
			return p
		}
	}
	return nil
}

// all returns every property with the name.
func (c *component) all(name string) []*prop {
	var out []*prop
	for _, p := range c.props {
		if p.name == name {
			out = append(out, p)
		}
	}
	return out
}

// decodeText turns the file into a string: UTF-16 (with its byte-order mark,
// as some Windows tools write) becomes UTF-8, and a UTF-8 byte-order mark is
// dropped.
func decodeText(data []byte) string {
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		little := data[0] == 0xFF
		data = data[2:]
		u := make([]uint16, len(data)/2)
		for i := range u {
			if little {
				u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
			} else {
				u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			}
		}
		return string(utf16.Decode(u))
	}
	return strings.TrimPrefix(string(data), "\uFEFF")
}

// lineReader yields logical lines: physical lines split at CRLF, CR or LF,
// with continuation lines (a leading space or tab) unfolded into the line
// before, each numbered by its first physical line.
type lineReader struct {
	s    string
	pos  int
	next int // number of the physical line at pos
}

func newLineReader(s string) *lineReader { return &lineReader{s: s, next: 1} }

// physical returns the next physical line without its terminator.
func (r *lineReader) physical() (string, bool) {
	if r.pos >= len(r.s) {
		return "", false
	}
	rest := r.s[r.pos:]
	i := strings.IndexAny(rest, "\r\n")
	if i < 0 {
		r.pos = len(r.s)
		r.next++
		return rest, true
	}
	line := rest[:i]
	r.pos += i + 1
	if rest[i] == '\r' && i+1 < len(rest) && rest[i+1] == '\n' {
		r.pos++
	}
	r.next++
	return line, true
}

// logical returns the next unfolded line and its first physical line number.
func (r *lineReader) logical() (string, int, bool) {
	num := r.next
	line, ok := r.physical()
	if !ok {
		return "", 0, false
	}
	var b *strings.Builder
	for r.pos < len(r.s) && (r.s[r.pos] == ' ' || r.s[r.pos] == '\t') {
		cont, _ := r.physical()
		if b == nil {
			b = &strings.Builder{}
			b.WriteString(line)
		}
		b.WriteString(cont[1:])
	}
	if b != nil {
		line = b.String()
	}
	return line, num, true
}

func isNameByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// parseLine reads one content line. It accepts what real files contain
// beyond RFC 5545 (parameters without a value, text after a closing quote, a
// value swallowed by a quoted parameter) and reports what it could not read
// as a non-empty problem. repaired says a quoted parameter had to be split.
func parseLine(text string, num int) (p *prop, problem string, repaired bool) {
	i := 0
	for i < len(text) && isNameByte(text[i]) {
		i++
	}
	if i == 0 {
		return nil, "not a property (it does not start with a name)", false
	}
	p = &prop{name: strings.ToUpper(text[:i]), line: num}
	for i < len(text) && text[i] == ' ' {
		i++
	}
	for i < len(text) && text[i] == ';' {
		i++
		start := i
		for i < len(text) && text[i] != '=' && text[i] != ';' && text[i] != ':' {
			i++
		}
		name := strings.ToUpper(strings.TrimSpace(text[start:i]))
		if i >= len(text) || text[i] != '=' {
			// A bare parameter (vCalendar 1.0 style): keep the name only.
			if name != "" {
				p.params = append(p.params, param{name: name})
			}
			continue
		}
		i++ // '='
		pa := param{name: name}
		for {
			var v string
			v, i = paramValue(text, i)
			pa.values = append(pa.values, v)
			if i < len(text) && text[i] == ',' {
				i++
				continue
			}
			break
		}
		if name != "" {
			p.params = append(p.params, pa)
		}
	}
	if i < len(text) && text[i] == ':' {
		p.value = text[i+1:]
		return p, "", false
	}
	// No colon after the parameters. Outlook writes
	// DTSTART;TZID="W. Europe Standard Time:20200609T090000": the value went
	// inside the quoted parameter. Split it at its last colon.
	for k := len(p.params) - 1; k >= 0; k-- {
		vs := p.params[k].values
		if len(vs) == 0 {
			continue
		}
		last := vs[len(vs)-1]
		if c := strings.LastIndexByte(last, ':'); c >= 0 {
			vs[len(vs)-1] = last[:c]
			p.value = last[c+1:]
			p.params = p.params[:k+1]
			return p, "", true
		}
	}
	return nil, "no colon between the name and the value", false
}

// paramValue reads one parameter value at i: quoted (the quotes dropped,
// anything after the closing quote up to the next delimiter kept) or plain
// up to ',', ';' or ':'.
func paramValue(text string, i int) (string, int) {
	if i < len(text) && text[i] == '"' {
		end := strings.IndexByte(text[i+1:], '"')
		if end < 0 { // unterminated: the rest of the line
			return text[i+1:], len(text)
		}
		v := text[i+1 : i+1+end]
		i += end + 2
		j := i
		for j < len(text) && text[j] != ',' && text[j] != ';' && text[j] != ':' {
			j++
		}
		if j > i {
			v += text[i:j]
		}
		return v, j
	}
	j := i
	for j < len(text) && text[j] != ',' && text[j] != ';' && text[j] != ':' {
		j++
	}
	return text[i:j], j
}

// calendarLevel components live only directly inside a VCALENDAR.
func calendarLevel(name string) bool {
	switch name {
	case "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE":
		return true
	}
	return false
}

// scan splits the text into VCALENDARs. found is false when there is no
// calendar in it at all. Malformed lines, unbalanced BEGIN/END and stray
// properties become warnings; a component that never ends is dropped, a
// VCALENDAR that never ends keeps what it holds. Events found outside any
// VCALENDAR are gathered into one of their own.
func (p *parser) scan(text string) (cals []*component, found bool) {
	type frame struct {
		c        *component
		implicit bool // the VCALENDAR made up for events outside any
		ignored  bool // a component outside any VCALENDAR: skipped whole
	}
	r := newLineReader(text)
	var stack []frame
	var loose *component
	strayWarned := false

	pop := func(reason string) {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch {
		case f.implicit || f.ignored:
		case f.c.name == "VCALENDAR":
			p.warnf(f.c.line, "VCALENDAR %s; kept what it holds", reason)
			cals = append(cals, f.c)
		default:
			p.warnf(f.c.line, "BEGIN:%s %s; skipped", f.c.name, reason)
		}
	}
	push := func(c *component) {
		if len(stack) > 0 && stack[len(stack)-1].ignored {
			stack = append(stack, frame{c: c, ignored: true})
			return
		}
		stack = append(stack, frame{c: c})
	}

	var pending string // the rest of a line holding two (END:XBEGIN:Y)
	var pendingNum int
	for {
		var line string
		var num int
		if pending != "" {
			line, num, pending = pending, pendingNum, ""
		} else {
			var ok bool
			if line, num, ok = r.logical(); !ok {
				break
			}
		}
		// A byte-order mark at the start of a later calendar (files joined
		// with cat) is not part of the line.
		line = strings.TrimPrefix(line, "\uFEFF")
		if strings.TrimSpace(line) == "" {
			continue
		}
		pr, problem, repaired := parseLine(line, num)
		if pr == nil {
			p.warnf(num, "line skipped: %s: %q", problem, excerpt(line))
			continue
		}
		if repaired {
			p.warnf(num, "%s: the value was inside a quoted parameter; read as %q", pr.name, pr.value)
		}
		switch pr.name {
		case "BEGIN":
			name := strings.ToUpper(strings.TrimSpace(pr.value))
			switch {
			case name == "":
				p.warnf(num, "BEGIN without a component name; skipped")
				continue
			case name == "VCALENDAR":
				found = true
				for len(stack) > 0 {
					pop("has no END before the next BEGIN:VCALENDAR")
				}
			case calendarLevel(name):
				for len(stack) > 0 && stack[len(stack)-1].c.name != "VCALENDAR" {
					pop("has no END before BEGIN:" + name)
				}
				if len(stack) == 0 {
					if name != "VEVENT" {
						p.warnf(num, "BEGIN:%s outside any VCALENDAR; skipped", name)
						stack = append(stack, frame{c: &component{name: name, line: num}, ignored: true})
						continue
					}
					if loose == nil {
						found = true
						loose = &component{name: "VCALENDAR", line: num}
						p.warnf(num, "events outside any VCALENDAR; read anyway")
					}
					stack = append(stack, frame{c: loose, implicit: true})
				}
			case len(stack) == 0:
				p.warnf(num, "BEGIN:%s outside any VCALENDAR; skipped", name)
				stack = append(stack, frame{c: &component{name: name, line: num}, ignored: true})
				continue
			}
			if len(stack) >= maxNesting {
				p.warnf(num, "components nested too deep; BEGIN:%s skipped", name)
				continue
			}
			push(&component{name: name, line: num})
		case "END":
			name := strings.ToUpper(strings.TrimSpace(pr.value))
			if i := indexBegin(pr.value); i > 0 {
				// Files joined with cat when the first lacks a final newline.
				pending, pendingNum = pr.value[i:], num
				name = strings.ToUpper(strings.TrimSpace(pr.value[:i]))
			}
			at := -1
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k].c.name == name && !stack[k].implicit {
					at = k
					break
				}
			}
			if at < 0 {
				p.warnf(num, "END:%s without a BEGIN; skipped", name)
				continue
			}
			for len(stack)-1 > at {
				pop("has no END before END:" + name)
			}
			f := stack[at]
			stack = stack[:at]
			switch {
			case f.ignored:
			case f.c.name == "VCALENDAR":
				cals = append(cals, f.c)
			case len(stack) > 0:
				parent := stack[len(stack)-1]
				parent.c.children = append(parent.c.children, f.c)
				if parent.implicit {
					stack = stack[:len(stack)-1]
				}
			}
		default:
			if len(stack) == 0 {
				if !strayWarned {
					p.warnf(num, "%s outside any VCALENDAR; skipped", pr.name)
					strayWarned = true
				}
				continue
			}
			top := stack[len(stack)-1]
			if !top.ignored && !top.implicit {
				top.c.props = append(top.c.props, pr)
			}
		}
	}
	for len(stack) > 0 {
		pop("has no END at the end of the file")
	}
	if loose != nil && len(loose.children) > 0 {
		cals = append(cals, loose)
	}
	return cals, found
}

// indexBegin finds "BEGIN:" in any case, or returns -1.
func indexBegin(s string) int {
	for i := 0; i+6 <= len(s); i++ {
		if strings.EqualFold(s[i:i+6], "BEGIN:") {
			return i
		}
	}
	return -1
}

// excerpt is the start of a line for a warning.
func excerpt(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 60
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
