from django.http import QueryDict

from zio.personas.forms import SectionEdit
from zio.personas.services import ItemInput


def _edit(*texts: str, action: str = "save") -> SectionEdit:
    return SectionEdit(items=[ItemInput(t) for t in texts], version=0, action=action)


def test_posted_lines_keep_their_signals() -> None:
    data = QueryDict(mutable=True)
    data.setlist("item", ["Overprikkeling", "Eigen tekst"])
    data.setlist("item_signal", ["7", ""])
    data.update({"version": "3", "action": "add"})
    edit = SectionEdit.from_post(data)
    assert edit.items == [ItemInput("Overprikkeling", 7), ItemInput("Eigen tekst", None)]
    assert edit.version == 3


def test_missing_version_never_matches_a_saved_one() -> None:
    assert SectionEdit.from_post(QueryDict("item=a")).version == -1


def test_add_focuses_the_new_line() -> None:
    edit = _edit("a", action="add")
    assert edit.apply() is True
    assert [i.text for i in edit.items] == ["a", ""]
    assert (edit.focus_kind, edit.focus_index) == ("item", 1)


def test_moving_down_follows_the_line_and_switches_to_up_at_the_bottom() -> None:
    edit = _edit("a", "b", "c", action="down:0")
    edit.apply()
    assert [i.text for i in edit.items] == ["b", "a", "c"]
    assert (edit.focus_kind, edit.focus_index) == ("down", 1)
    edit.action = "down:1"
    edit.apply()
    assert [i.text for i in edit.items] == ["b", "c", "a"]
    assert (edit.focus_kind, edit.focus_index) == ("up", 2)


def test_moving_up_to_the_top_switches_to_down() -> None:
    edit = _edit("a", "b", action="up:1")
    edit.apply()
    assert [i.text for i in edit.items] == ["b", "a"]
    assert (edit.focus_kind, edit.focus_index) == ("down", 0)


def test_removing_the_last_line_focuses_the_add_button() -> None:
    edit = _edit("a", action="remove:0")
    edit.apply()
    assert edit.items == []
    assert edit.focus_kind == "add"


def test_out_of_range_actions_change_nothing() -> None:
    edit = _edit("a", action="up:0")
    edit.apply()
    assert [i.text for i in edit.items] == ["a"]
    edit.action = "remove:5"
    edit.apply()
    assert [i.text for i in edit.items] == ["a"]


def test_save_is_not_a_list_action() -> None:
    assert _edit("a").apply() is False


def test_a_signal_is_added_once() -> None:
    edit = _edit(action="add-signal")
    edit.apply(signal_name="Overprikkeling", signal_id=3)
    edit.apply(signal_name="Overprikkeling", signal_id=3)
    assert edit.items == [ItemInput("Overprikkeling", 3)]
