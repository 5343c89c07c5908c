package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every key the app answers to. Screens match with key.Matches,
// never with bare strings.
type KeyMap struct {
	// Global: checked by the root first, unless an input has focus.
	Quit      key.Binding // q: only when no input has focus
	ForceQuit key.Binding // ctrl+c: always
	Help      key.Binding
	NextTab   key.Binding
	PrevTab   key.Binding
	GoToTab   key.Binding // 1 to the number of tabs; New sets the keys
	Reload    key.Binding // read the store again: another terminal changed it

	// Lists and scrolled views.
	Up           key.Binding
	Down         key.Binding
	PageUp       key.Binding
	PageDown     key.Binding
	HalfPageUp   key.Binding
	HalfPageDown key.Binding
	Top          key.Binding
	Bottom       key.Binding
	Open         key.Binding
	Back         key.Binding

	// Partners.
	Filter key.Binding
	Sort   key.Binding

	// While the filter has focus.
	FilterAccept key.Binding
	FilterClear  key.Binding
	FilterUp     key.Binding
	FilterDown   key.Binding

	// Review.
	Accept   key.Binding
	Override key.Binding
	Undo     key.Binding
	Finalize key.Binding
	Discard  key.Binding // drop an open review and its decisions
	Holds    key.Binding // show or hide the holds
	Periods  key.Binding // the list of periods and past reviews
	Summary  key.Binding

	// Calendar.
	PrevWeek key.Binding
	NextWeek key.Binding
	Assign   key.Binding // assign the selected unmatched meeting to a partner

	// The partner picker, while its filter has focus: letters type.
	PickChoose   key.Binding
	PickCancel   key.Binding
	PickUp       key.Binding
	PickDown     key.Binding
	PickPageUp   key.Binding
	PickPageDown key.Binding

	// A confirmation.
	Confirm key.Binding
	Cancel  key.Binding

	// The override dialog. In the tier field the arrows and h/j/k/l pick
	// the tier; in the reason field only ↑/↓ do, ←/→ move in the text.
	DialogSave     key.Binding
	DialogCancel   key.Binding
	DialogField    key.Binding
	TierLower      key.Binding
	TierHigher     key.Binding
	ReasonTierDown key.Binding
	ReasonTierUp   key.Binding
}

// DefaultKeyMap is the app's keymap.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		NextTab:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
		GoToTab:   key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "go to tab")),
		Reload:    key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reload")),

		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		HalfPageUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
		HalfPageDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
		Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),

		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Sort:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),

		FilterAccept: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		FilterClear:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		FilterUp:     key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
		FilterDown:   key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down")),

		Accept:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "accept")),
		Override: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "override")),
		Undo:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		Finalize: key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "finalize")),
		Discard:  key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "discard review")),
		Holds:    key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "show holds")),
		Periods:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "periods")),
		Summary:  key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "summary")),

		PrevWeek: key.NewBinding(key.WithKeys("[", "left"), key.WithHelp("[/←", "prev week")),
		NextWeek: key.NewBinding(key.WithKeys("]", "right"), key.WithHelp("]/→", "next week")),
		Assign:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "assign")),

		PickChoose:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "assign")),
		PickCancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		PickUp:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		PickDown:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		PickPageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PickPageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),

		Confirm: key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y/enter", "finalize")),
		Cancel:  key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),

		DialogSave:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		DialogCancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		DialogField:    key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "tier/reason")),
		TierLower:      key.NewBinding(key.WithKeys("left", "h", "down", "j"), key.WithHelp("←/→", "tier")),
		TierHigher:     key.NewBinding(key.WithKeys("right", "l", "up", "k"), key.WithHelp("→", "higher tier")),
		ReasonTierDown: key.NewBinding(key.WithKeys("down"), key.WithHelp("↑/↓", "tier")),
		ReasonTierUp:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "higher tier")),
	}
}

// ShortHelp is the global keys' one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Quit}
}

// FullHelp is every key, grouped in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfPageUp, k.HalfPageDown},
		{k.Top, k.Bottom, k.Open, k.Back},
		{k.Filter, k.Sort},
		{k.Accept, k.Override, k.Undo, k.Finalize, k.Discard, k.Holds, k.Periods, k.Summary},
		{k.PrevWeek, k.NextWeek, k.Assign},
		{k.NextTab, k.PrevTab, k.GoToTab, k.Reload, k.Help, k.Quit, k.ForceQuit},
	}
}

// helpKeys is the help of one screen in one state, with the global keys
// appended: what the footer shows.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }
