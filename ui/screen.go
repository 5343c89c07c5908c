package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
)

// common is what every component shares: the styles, the keymap and how
// colour is rendered. The root owns it and rebuilds Styles in place on
// tea.BackgroundColorMsg.
type common struct {
	styles  *Styles
	keys    *KeyMap
	noColor bool
	// statuses numbers status messages as Update makes them: commands run
	// concurrently, so two made by quick keys may arrive out of order, and
	// the footer must keep the newer one.
	statuses int
}

// screen is one tab. Only the root App returns a tea.View; a screen
// renders a string of exactly the size it was given.
type screen interface {
	// Title is the tab's name.
	Title() string
	// SetData hands the screen the loaded snapshot.
	SetData(d *dataset)
	// SetSize is called once per resize, and again when the styles change:
	// the place for layout arithmetic.
	SetSize(width, height int)
	Update(msg tea.Msg) (screen, tea.Cmd)
	View() string
	// Capturing reports whether an input has focus: then global keys such as
	// q and 1–4 go to the screen.
	Capturing() bool
	// Cursor is the terminal cursor inside the screen, or nil.
	Cursor() *tea.Cursor
	// ShortHelp and FullHelp are the screen's keys in its current state.
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// enterer is a screen with something to read when its tab is shown: the
// root runs the command Enter returns each time the tab becomes active.
type enterer interface {
	Enter() tea.Cmd
}

// loader is a screen with data of its own to read, in a command, each time
// the snapshot (re)loads.
type loader interface {
	Load() tea.Cmd
	// LoadFailed reports whether the last read failed (a store busy for
	// a moment, say): coming back to the window reads it again, though
	// the store has not changed since.
	LoadFailed() bool
}

// addressed is an asynchronous result for one screen: the root delivers it
// to the screen it is for, whichever tab is showing, so a result that lands
// after the user switched tabs is not lost.
type addressed interface {
	addressedTo(s screen) bool
}

// Typed messages.
type (
	// snapshotLoadedMsg carries the store's snapshot and everything
	// precomputed from it, or the error that stopped the load.
	snapshotLoadedMsg struct {
		gen    int // from App.loadGen: an older load answering late is dropped
		data   *dataset
		err    error
		calErr error // last week's calendar could not be read
		// unchanged: the store is the one on screen, nothing was read
		unchanged bool
	}
	// statusMsg is a line for the footer.
	statusMsg struct {
		text  string
		isErr bool
		seq   int // from common.statuses: a late older one is dropped
	}
	// clearStatusMsg clears the footer's status if it is still the one with
	// this generation.
	clearStatusMsg struct{ gen int }
	// reloadMsg asks the root to read the snapshot again, as after a
	// meeting assignment taught a partner a domain.
	reloadMsg struct{}
	// movedMsg asks the root to show a finalized review's moves: the
	// tiers and history they changed.
	movedMsg struct {
		moves []model.History
		base  *dataset // the rows on screen when the finalize was asked
	}
)

// status is a command that shows text in the footer.
func (c *common) status(text string) tea.Cmd { return c.statusCmd(text, false) }

// errStatus is a command that shows text in the footer as an error.
func (c *common) errStatus(text string) tea.Cmd { return c.statusCmd(text, true) }

func (c *common) statusCmd(text string, isErr bool) tea.Cmd {
	c.statuses++
	msg := statusMsg{text: text, isErr: isErr, seq: c.statuses}
	return func() tea.Msg { return msg }
}

// reload is a command that asks the root to read the snapshot again.
func reload() tea.Msg { return reloadMsg{} }
