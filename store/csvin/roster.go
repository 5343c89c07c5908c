package csvin

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// Roster columns. Only name is required; a column the file lacks leaves
// that field of an existing partner alone.
const (
	ColID        = "id"
	ColName      = "name"
	ColTrack     = "track"
	ColManager   = "manager"
	ColDomains   = "domains"
	ColAliases   = "aliases"
	ColTier      = "tier"
	ColJoined    = "joined"
	ColTierSince = "tier_since"
	ColStatus    = "status"
)

// RosterColumns lists every roster column in the order the header shows them.
var RosterColumns = []string{ColID, ColName, ColTrack, ColManager, ColDomains, ColAliases, ColTier, ColJoined, ColTierSince, ColStatus}

// Status values of the roster's status column.
const (
	StatusActive = "active"
	StatusExited = "exited"
)

// Roster is a parsed partner roster.
type Roster struct {
	File string
	Rows []RosterRow
	// Bad lists the rows that could not be read, in line order.
	Bad []RowError
	// columns maps each roster column the file has to its header as written.
	columns map[string]string
}

// Has reports whether the file has the roster column col.
func (r *Roster) Has(col string) bool { _, ok := r.columns[col]; return ok }

// Column is the header of roster column col as the file writes it (col
// itself when absent), for error messages.
func (r *Roster) Column(col string) string {
	if s, ok := r.columns[col]; ok {
		return s
	}
	return col
}

// RosterRow is one partner of a roster. Blank cells are zero values: the
// store decides what a blank means for a new or an existing partner.
type RosterRow struct {
	Line    int
	ID      string // as given, or model.Slug(Name)
	Name    string
	Track   string // a track key, or "" when blank
	Manager string
	Domains []string // lower case, without "@"
	Aliases []string
	Tier    string // a tier key, or "" when blank
	Joined  time.Time
	// TierSince is zero when blank.
	TierSince time.Time
	// Status is StatusActive, StatusExited or "" when blank.
	Status string
}

// ParseRoster reads a roster CSV (header id,name,track,manager,domains,
// aliases,tier,joined and optionally tier_since and status). Tiers match a
// key or name, tracks a key or name, ignoring case; domains and aliases are
// ';'-separated. A problem with the file as a whole (empty, a syntax error,
// a missing or unknown column) is returned as a *RowError; problems with
// rows are listed in Roster.Bad, and the good rows are in Roster.Rows.
func ParseRoster(file string, data []byte, prog *model.Program) (*Roster, error) {
	ro := &Roster{File: file, columns: map[string]string{}}
	pos := map[string]int{}
	firstLine := map[string]int{} // id → line
	var h *header
	err := readCSV(file, data,
		func(hd *header) error {
			h = hd
			for i, name := range hd.names {
				if name == "" {
					continue
				}
				col := strings.ToLower(name)
				if col == "tier since" || col == "tier-since" {
					col = ColTierSince
				}
				if !slices.Contains(RosterColumns, col) {
					return &RowError{File: file, Line: 1, Column: name,
						Reason: "unknown column (a roster has " + strings.Join(RosterColumns, ", ") + ")"}
				}
				if _, dup := pos[col]; dup {
					return &RowError{File: file, Line: 1, Column: name, Reason: "the column appears twice in the header"}
				}
				pos[col] = i
				ro.columns[col] = name
			}
			if _, ok := pos[ColName]; !ok {
				return &RowError{File: file, Line: 1, Column: ColName, Reason: "required column is missing"}
			}
			return nil
		},
		func(rec record) error {
			if e := extraCells(file, h, rec); e != nil {
				ro.Bad = append(ro.Bad, *e)
				return nil
			}
			row, e := rosterRow(ro, prog, pos, rec)
			if e != nil {
				ro.Bad = append(ro.Bad, *e)
				return nil
			}
			if first, dup := firstLine[row.ID]; dup {
				col := ColID
				if _, ok := pos[ColID]; !ok || strings.TrimSpace(rec.cell(pos[ColID])) == "" {
					col = ColName
				}
				ro.Bad = append(ro.Bad, RowError{File: file, Line: row.Line, Column: ro.Column(col),
					Reason: fmt.Sprintf("partner %q appears twice (also line %d)", row.ID, first)})
				return nil
			}
			firstLine[row.ID] = row.Line
			ro.Rows = append(ro.Rows, row)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return ro, nil
}

func rosterRow(ro *Roster, prog *model.Program, pos map[string]int, rec record) (RosterRow, *RowError) {
	file := ro.File
	row := RosterRow{Line: rec.line()}
	get := func(col string) (string, int, *RowError) {
		i, ok := pos[col]
		if !ok {
			return "", -1, nil
		}
		s, e := text(file, rec, i, ro.Column(col))
		return s, i, e
	}
	fail := func(col string, i int, format string, args ...any) (RosterRow, *RowError) {
		return RosterRow{}, &RowError{File: file, Line: rec.lineOf(i), Column: ro.Column(col), Reason: fmt.Sprintf(format, args...)}
	}

	name, ni, e := get(ColName)
	if e != nil {
		return RosterRow{}, e
	}
	if name == "" {
		return fail(ColName, ni, "required: every partner needs a name")
	}
	row.Name = name

	id, ii, e := get(ColID)
	if e != nil {
		return RosterRow{}, e
	}
	switch {
	case id != "" && model.Slug(id) != id:
		return fail(ColID, ii, "%q is not an id: use lower-case letters, digits and hyphens, like %q", clip(id), model.Slug(id))
	case id != "":
		row.ID = id
	default:
		row.ID = model.Slug(name)
		if row.ID == "" {
			return fail(ColName, ni, "%q makes no id (it has no ASCII letters or digits): add an id column", clip(name))
		}
	}

	track, ti, e := get(ColTrack)
	if e != nil {
		return RosterRow{}, e
	}
	if track != "" {
		key, ok := findTrack(prog, track)
		if !ok {
			return fail(ColTrack, ti, "unknown track %q (want %s)", clip(track), joinOr(trackKeys(prog)))
		}
		row.Track = key
	}

	if row.Manager, _, e = get(ColManager); e != nil {
		return RosterRow{}, e
	}
	if m, ok := prog.Manager(row.Manager); ok && row.Manager != "" {
		row.Manager = m.Name
	}

	domains, di, e := get(ColDomains)
	if e != nil {
		return RosterRow{}, e
	}
	for _, d := range splitList(domains) {
		dom, ok := Domain(d)
		if !ok {
			return fail(ColDomains, di, "%q is not an email domain (like northwind.com)", clip(d))
		}
		if !slices.Contains(row.Domains, dom) {
			row.Domains = append(row.Domains, dom)
		}
	}

	aliases, _, e := get(ColAliases)
	if e != nil {
		return RosterRow{}, e
	}
	for _, a := range splitList(aliases) {
		if !slices.ContainsFunc(row.Aliases, func(b string) bool { return strings.EqualFold(a, b) }) && !strings.EqualFold(a, name) {
			row.Aliases = append(row.Aliases, a)
		}
	}

	tier, tri, e := get(ColTier)
	if e != nil {
		return RosterRow{}, e
	}
	if tier != "" {
		t, ok := prog.FindTier(tier)
		if !ok {
			return fail(ColTier, tri, "unknown tier %q (want %s)", clip(tier), joinOr(tierKeys(prog)))
		}
		row.Tier = t.Key
	}

	for _, d := range []struct {
		col string
		dst *time.Time
	}{{ColJoined, &row.Joined}, {ColTierSince, &row.TierSince}} {
		s, i, e := get(d.col)
		if e != nil {
			return RosterRow{}, e
		}
		if s == "" {
			continue
		}
		t, err := ParseDate(s)
		if err != nil {
			return fail(d.col, i, "%s", err)
		}
		*d.dst = t
	}

	status, si, e := get(ColStatus)
	if e != nil {
		return RosterRow{}, e
	}
	switch strings.ToLower(status) {
	case "":
	case StatusActive:
		row.Status = StatusActive
	case StatusExited, "exit", "inactive":
		row.Status = StatusExited
	default:
		return fail(ColStatus, si, "unknown status %q (want active or exited)", clip(status))
	}
	return row, nil
}

// splitList splits a ';'-separated cell, dropping blanks.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// Domain normalizes an email domain: lower case, without a leading "@" or
// the mailbox of a whole address. It reports false for anything that is
// not a plausible domain.
func Domain(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if s == "" || len(s) > 253 || !strings.Contains(s, ".") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return "", false
		}
	}
	return s, true
}

func findTrack(prog *model.Program, s string) (string, bool) {
	for _, t := range prog.Tracks {
		if strings.EqualFold(t.Key, s) || strings.EqualFold(t.Name, s) {
			return t.Key, true
		}
	}
	return "", false
}

func trackKeys(prog *model.Program) []string {
	out := make([]string, len(prog.Tracks))
	for i, t := range prog.Tracks {
		out[i] = t.Key
	}
	return out
}

func tierKeys(prog *model.Program) []string {
	out := make([]string, len(prog.Tiers))
	for i, t := range prog.Tiers {
		out[i] = t.Key
	}
	return out
}
