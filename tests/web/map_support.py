"""What the map's browser tests share: waiting for a view to be drawn and clicking a node on it."""

from pathlib import Path

ID = "https://w3id.org/graphsvc/id/"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def drawn(page, items: int) -> None:
    """Wait until the map has loaded and laid out a view with this many items."""
    page.wait_for_function(
        "n => document.body.dataset.ready === '1' && window.graphsvcMap.cy"
        " && window.graphsvcMap.cy.nodes('[kind = \"item\"]').length === n",
        arg=items,
        timeout=30_000,
    )


def click_node(page, node_id: str, selects: bool = True) -> None:
    """Click a node where it is drawn on the canvas, as a person would (once the centred view is
    painted); with ``selects``, wait until it is selected (a focus click redraws the view instead).

    The click lands an eighth of the node's size right of and below its centre: Cytoscape 3.34's
    hit test misses a diamond (a partner agency) exactly on the line through its top and bottom corners.
    """
    x, y = page.evaluate(
        """id => new Promise(resolve => {
             const cy = window.graphsvcMap.cy, node = cy.getElementById(id);
             cy.center(node);
             requestAnimationFrame(() => requestAnimationFrame(() => {
               const box = cy.container().getBoundingClientRect(), at = node.renderedPosition();
               resolve([box.left + at.x + node.renderedWidth() / 8, box.top + at.y + node.renderedHeight() / 8]);
             }));
           })""",
        node_id,
    )
    page.mouse.click(x, y)
    if selects:
        page.wait_for_function("id => window.graphsvcMap.cy.getElementById(id).selected()", arg=node_id)
