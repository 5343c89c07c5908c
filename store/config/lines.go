package config

import (
	"strconv"
	"strings"
)

// keyPath is a path into the config as people read it:
// tiers[2].criteria.all[0].metric. Each element is one rendered segment:
// a key (quoted when it is not a bare key) or an index "[n]".
type keyPath []string

// key is the path to the key k below p.
func (p keyPath) key(k string) keyPath {
	return append(p[:len(p):len(p)], quoteKey(k))
}

// index is the path to the i-th element (from 0) of the array at p.
func (p keyPath) index(i int) keyPath {
	return append(p[:len(p):len(p)], "["+strconv.Itoa(i)+"]")
}

func (p keyPath) String() string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// quoteKey writes a key as TOML would: bare when it can be, quoted otherwise.
func quoteKey(k string) string {
	if k == "" {
		return `""`
	}
	for i := 0; i < len(k); i++ {
		if !isBareKeyChar(k[i]) {
			return strconv.Quote(k)
		}
	}
	return k
}

func isBareKeyChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// lineIndex maps every key path written in a file (tables, array-of-tables
// elements, keys, array elements) to the line it is written on.
//
// The toml package keeps positions to itself, and keeps them per key without
// array indices, so a small scan of the source records them: it knows table
// headers, [[arrays of tables]] and their nesting, dotted and quoted keys,
// strings of all four kinds, arrays and inline tables (over several lines
// too). It runs on text the toml package has already accepted, and on
// anything else it stops early rather than fail.
type lineIndex map[string]int

// line is the line of p, or of its nearest ancestor that is written in the
// file (a missing key points at its table), or 1.
func (ix lineIndex) line(p keyPath) int {
	for n := len(p); n > 0; n-- {
		if l, ok := ix[p[:n].String()]; ok {
			return l
		}
	}
	return 1
}

type scanner struct {
	src   string
	i     int
	line  int
	ix    lineIndex
	aot   map[string]int // array-of-tables path → elements seen so far
	table keyPath        // the table the following keys belong to
	depth int            // nesting of arrays and inline tables
}

// maxDepth bounds the nesting the scanner follows; deeper values are skipped
// as plain text (their lines then fall back to the enclosing key).
const maxDepth = 100

func scanLines(src string) lineIndex {
	// The toml package skips these byte-order marks too.
	for _, bom := range []string{"\xef\xbb\xbf", "\xff\xfe", "\xfe\xff"} {
		if strings.HasPrefix(src, bom) {
			src = src[len(bom):]
			break
		}
	}
	s := &scanner{src: src, line: 1, ix: lineIndex{}, aot: map[string]int{}}
	for {
		s.skipBlank(true)
		if s.eof() {
			break
		}
		start := s.i
		if s.peek() == '[' {
			s.header()
		} else {
			s.keyValue(s.table)
		}
		s.skipLine()
		if s.i == start {
			s.advance()
		}
	}
	return s.ix
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *scanner) advance() {
	if s.eof() {
		return
	}
	if s.src[s.i] == '\n' {
		s.line++
	}
	s.i++
}

// skipBlank skips spaces and tabs and, with newlines, also line ends and
// comments.
func (s *scanner) skipBlank(newlines bool) {
	for !s.eof() {
		switch s.peek() {
		case ' ', '\t':
			s.i++
		case '\r', '\n':
			if !newlines {
				return
			}
			s.advance()
		case '#':
			if !newlines {
				return
			}
			for !s.eof() && s.peek() != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}

// skipLine skips to the start of the next line.
func (s *scanner) skipLine() {
	for !s.eof() {
		c := s.peek()
		s.advance()
		if c == '\n' {
			return
		}
	}
}

func (s *scanner) set(p keyPath, line int) { s.ix[p.String()] = line }

func (s *scanner) setIfAbsent(p keyPath, line int) {
	if _, ok := s.ix[p.String()]; !ok {
		s.ix[p.String()] = line
	}
}

// resolve walks keys down from base. An array of tables on the way stands for
// its latest element; with appendArray the last key starts a new element.
func (s *scanner) resolve(base keyPath, keys []string, appendArray bool, line int) keyPath {
	p := base
	for j, k := range keys {
		p = p.key(k)
		last := j == len(keys)-1
		if last && appendArray {
			s.setIfAbsent(p, line)
			n := s.aot[p.String()]
			s.aot[p.String()] = n + 1
			p = p.index(n)
		} else if n := s.aot[p.String()]; n > 0 {
			p = p.index(n - 1)
		}
		if !last {
			s.setIfAbsent(p, line)
		}
	}
	return p
}

// header reads [table] or [[array.of.tables]].
func (s *scanner) header() {
	line := s.line
	array := strings.HasPrefix(s.src[s.i:], "[[")
	s.i++
	if array {
		s.i++
	}
	keys := s.keys()
	if len(keys) == 0 {
		return
	}
	p := s.resolve(nil, keys, array, line)
	s.set(p, line)
	s.table = p
}

// keyValue reads key = value, the key relative to base.
func (s *scanner) keyValue(base keyPath) {
	line := s.line
	keys := s.keys()
	if len(keys) == 0 {
		return
	}
	p := s.resolve(base, keys, false, line)
	s.set(p, line)
	s.skipBlank(false)
	if s.peek() != '=' {
		return
	}
	s.i++
	s.skipBlank(false)
	s.value(p)
}

// keys reads a dotted key: bare, "basic" or 'literal' parts.
func (s *scanner) keys() []string {
	var keys []string
	for {
		s.skipBlank(false)
		var k string
		switch s.peek() {
		case '"':
			raw, ok := s.basicString()
			if !ok {
				return keys
			}
			k = unescape(raw)
		case '\'':
			raw, ok := s.literalString()
			if !ok {
				return keys
			}
			k = raw
		default:
			start := s.i
			for !s.eof() && isBareKeyChar(s.peek()) {
				s.i++
			}
			if s.i == start {
				return keys
			}
			k = s.src[start:s.i]
		}
		keys = append(keys, k)
		s.skipBlank(false)
		if s.peek() != '.' {
			return keys
		}
		s.i++
	}
}

// value skips one value, recording the elements of arrays and the keys of
// inline tables below p.
func (s *scanner) value(p keyPath) {
	switch s.peek() {
	case '"':
		if strings.HasPrefix(s.src[s.i:], `"""`) {
			s.multiline(`"""`, true)
		} else {
			s.basicString()
		}
	case '\'':
		if strings.HasPrefix(s.src[s.i:], `'''`) {
			s.multiline(`'''`, false)
		} else {
			s.literalString()
		}
	case '[', '{':
		if s.depth >= maxDepth {
			s.skipNested()
			return
		}
		s.depth++
		if s.peek() == '[' {
			s.array(p)
		} else {
			s.inlineTable(p)
		}
		s.depth--
	default:
		// Numbers, booleans, dates and times (which may hold a space).
		for !s.eof() && !strings.ContainsRune(",]}#\r\n", rune(s.peek())) {
			s.i++
		}
	}
}

// skipNested skips an array or inline table without recording anything:
// brackets are counted, strings and comments skipped.
func (s *scanner) skipNested() {
	open := 0
	for !s.eof() {
		switch c := s.peek(); c {
		case '[', '{':
			open++
			s.i++
		case ']', '}':
			open--
			s.i++
			if open <= 0 {
				return
			}
		case '"', '\'':
			start := s.i
			s.value(nil)
			if s.i == start {
				s.advance()
			}
		case '#':
			s.skipBlank(true)
		default:
			s.advance()
		}
	}
}

func (s *scanner) array(p keyPath) {
	s.i++ // [
	for n := 0; ; {
		s.skipBlank(true)
		switch s.peek() {
		case 0:
			return
		case ']':
			s.i++
			return
		case ',':
			s.i++
			continue
		}
		start := s.i
		e := p.index(n)
		s.set(e, s.line)
		s.value(e)
		n++
		if s.i == start {
			s.advance()
		}
	}
}

func (s *scanner) inlineTable(p keyPath) {
	s.i++ // {
	for {
		s.skipBlank(true)
		switch s.peek() {
		case 0:
			return
		case '}':
			s.i++
			return
		case ',':
			s.i++
			continue
		}
		start := s.i
		s.keyValue(p)
		if s.i == start {
			s.advance()
		}
	}
}

// basicString reads "..." and returns what is between the quotes, escapes
// undone by the caller if it needs them.
func (s *scanner) basicString() (string, bool) {
	s.i++ // "
	start := s.i
	for !s.eof() {
		switch s.peek() {
		case '\\':
			s.i++
			if !s.eof() && s.peek() != '\n' {
				s.i++
			}
		case '"':
			raw := s.src[start:s.i]
			s.i++
			return raw, true
		case '\n':
			return "", false
		default:
			s.i++
		}
	}
	return "", false
}

func (s *scanner) literalString() (string, bool) {
	s.i++ // '
	start := s.i
	for !s.eof() {
		switch s.peek() {
		case '\'':
			raw := s.src[start:s.i]
			s.i++
			return raw, true
		case '\n':
			return "", false
		default:
			s.i++
		}
	}
	return "", false
}

// multiline skips a multi-line string (three quotes, double or single); up
// to two more quotes after the closing three belong to the string.
func (s *scanner) multiline(delim string, escapes bool) {
	s.i += len(delim)
	for !s.eof() {
		if escapes && s.peek() == '\\' {
			s.i++
			s.advance()
			continue
		}
		if strings.HasPrefix(s.src[s.i:], delim) {
			s.i += len(delim)
			for extra := 0; extra < 2 && s.peek() == delim[0]; extra++ {
				s.i++
			}
			return
		}
		s.advance()
	}
}

// unescape undoes the escapes of a TOML basic string; anything it does not
// know stays as written.
func unescape(raw string) string {
	if !strings.Contains(raw, `\`) {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			b.WriteByte(c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case '"', '\\':
			b.WriteByte(raw[i])
		case 'x', 'u', 'U':
			n := 2
			if raw[i] == 'u' {
				n = 4
			} else if raw[i] == 'U' {
				n = 8
			}
			if i+1+n <= len(raw) {
				if v, err := strconv.ParseUint(raw[i+1:i+1+n], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(raw[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(raw[i])
		}
	}
	return b.String()
}
