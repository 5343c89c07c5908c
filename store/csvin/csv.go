// Package csvin reads the CSV files partner managers import: the partner
// roster and per-partner, per-period production. It is pure: bytes in,
// typed rows and row errors out. Resolving rows against the store (which
// partner a name means, what exists already) is the store's job.
//
// Every file may be UTF-8 with or without a byte order mark, with CRLF or
// LF line ends and quoted fields; headers match ignoring case and
// surrounding space. Text cells are cleaned of control characters and
// escape sequences (safetext.Clean) before they go anywhere.
package csvin

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/partnertiers/partnertiers/store/safetext"
)

// RowError is one problem in an imported file, reported as
// "file:line: column: reason".
type RowError struct {
	File   string
	Line   int
	Column string
	Reason string
}

func (e RowError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Column, e.Reason)
}

// MaxText is the longest name, alias or other text cell accepted, in runes.
const MaxText = 200

var bom = []byte("\xef\xbb\xbf")

// header is a file's first row, cleaned, with its columns looked up by
// lower-cased name.
type header struct {
	names []string       // as written (cleaned)
	index map[string]int // lower-cased name → position
}

// record is one data row: its cells and the line each cell starts on.
type record struct {
	cells []string
	pos   func(field int) int
}

func (r record) line() int { return r.pos(0) }

// cell is the i-th cell, or "" when the row is short.
func (r record) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

// lineOf is the line the i-th cell starts on (the row's line when short).
func (r record) lineOf(i int) int {
	if i < 0 || i >= len(r.cells) {
		return r.line()
	}
	return r.pos(i)
}

// readCSV reads data as CSV, calling onHeader once with the first row and
// onRow for every later row that has a non-blank cell. A syntax error, an
// empty file or a header problem ends the read with a *RowError; row
// problems are the callbacks' to collect.
func readCSV(file string, data []byte, onHeader func(*header) error, onRow func(record) error) error {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return &RowError{File: file, Line: 1, Column: "header", Reason: "the file is UTF-16: save it as UTF-8 CSV"}
	}
	data = bytes.TrimPrefix(data, bom)
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	first := true
	for {
		cells, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &RowError{File: file, Line: pe.Line, Column: fmt.Sprintf("character %d", pe.Column), Reason: pe.Err.Error()}
			}
			return &RowError{File: file, Line: 1, Column: "file", Reason: err.Error()}
		}
		if first {
			first = false
			h, err := readHeader(file, cells, r)
			if err != nil {
				return err
			}
			if err := onHeader(h); err != nil {
				return err
			}
			continue
		}
		if blankRow(cells) {
			continue
		}
		if err := onRow(record{cells: cells, pos: func(i int) int { l, _ := r.FieldPos(i); return l }}); err != nil {
			return err
		}
	}
	if first {
		return &RowError{File: file, Line: 1, Column: "header", Reason: "the file is empty"}
	}
	return nil
}

func readHeader(file string, cells []string, r *csv.Reader) (*header, error) {
	h := &header{names: make([]string, len(cells)), index: make(map[string]int, len(cells))}
	for i, c := range cells {
		line, _ := r.FieldPos(i)
		if !utf8.ValidString(c) {
			return nil, &RowError{File: file, Line: line, Column: fmt.Sprintf("column %d", i+1), Reason: notUTF8}
		}
		name := safetext.Clean(c)
		h.names[i] = name
		if name == "" {
			continue
		}
		key := strings.ToLower(name)
		if _, dup := h.index[key]; dup {
			return nil, &RowError{File: file, Line: line, Column: name, Reason: "the column appears twice in the header"}
		}
		h.index[key] = i
	}
	if len(cells) == 1 && strings.Count(cells[0], ";") > 0 {
		return nil, &RowError{File: file, Line: 1, Column: "header", Reason: "the columns are separated by ';': save the file with commas between columns"}
	}
	return h, nil
}

const notUTF8 = "not valid UTF-8: save the file as UTF-8"

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// extraCells reports a non-blank cell beyond the header's columns.
func extraCells(file string, h *header, rec record) *RowError {
	for i := len(h.names); i < len(rec.cells); i++ {
		if strings.TrimSpace(rec.cells[i]) != "" {
			return &RowError{File: file, Line: rec.lineOf(i), Column: fmt.Sprintf("column %d", i+1),
				Reason: fmt.Sprintf("extra value %q: the header has %d columns", clip(safetext.Clean(rec.cells[i])), len(h.names))}
		}
	}
	return nil
}

// text reads a text cell: valid UTF-8, cleaned, not too long.
func text(file string, rec record, i int, column string) (string, *RowError) {
	raw := rec.cell(i)
	if !utf8.ValidString(raw) {
		return "", &RowError{File: file, Line: rec.lineOf(i), Column: column, Reason: notUTF8}
	}
	s := safetext.Clean(raw)
	if utf8.RuneCountInString(s) > MaxText {
		return "", &RowError{File: file, Line: rec.lineOf(i), Column: column, Reason: fmt.Sprintf("longer than %d characters", MaxText)}
	}
	return s, nil
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:39]) + "…"
}

// joinOr lists words as "a, b or c".
func joinOr(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
