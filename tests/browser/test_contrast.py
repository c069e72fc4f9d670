"""Controls a learner must see: borders of radio buttons against the page (issue 25)."""

import pytest

from tests.conftest import make_course, make_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRAST = """
(element) => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const border = lum(rgb(getComputedStyle(element).borderTopColor));
  let node = element.parentElement, background = null;
  while (node && !background) {
    const color = getComputedStyle(node).backgroundColor;
    if (!color.startsWith("rgba(0, 0, 0, 0)") && color !== "transparent") background = color;
    node = node.parentElement;
  }
  const page = lum(rgb(background || "rgb(255, 255, 255)"));
  const [hi, lo] = border > page ? [border, page] : [page, border];
  return (hi + 0.05) / (lo + 0.05);
}
"""


def test_radio_buttons_stand_out_from_the_page(page, site):
    course = make_course(chapters=1, slug="contrast", title="Contrast")
    make_question(chapter=course.chapters.get())
    page.goto(f"{site}{course.chapters.get().get_absolute_url()}")
    radio = page.locator("input[type=radio]").first
    ratio = radio.evaluate(CONTRAST)
    assert ratio >= 3, f"radio border contrast {ratio:.2f}:1 (needs 3:1)"
