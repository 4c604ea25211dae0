// The review workspace's keyboard and image viewer. While the workspace is on screen, the keys it uses are
// kept from the browser (Tab would move focus, Enter could submit) and passed to .NET in order, wherever
// focus is on the page; typing in form fields is left alone, and so are the keys that work links and buttons.
const handledKeys = new Set(['Enter', 'Tab', 'ArrowUp', 'ArrowDown', 'Escape', 'Backspace']);
let listener = null;

export function attach(element, workspace) {
    detach();
    listener = event => {
        const closest = selector => event.target.closest ? event.target.closest(selector) : null;
        if (closest('input, textarea, select') || event.altKey) return;
        // On a link, button or menu outside the workspace, the keys that work them keep their meaning; a digit or a
        // letter has none there and still reaches the workspace (focus resting on a menu link must not eat a choice).
        const outside = closest('button, a, .mud-popover') && closest('.workspace') === null;
        if (outside && ['Enter', ' ', 'Tab', 'Escape'].includes(event.key)) return;
        const printable = event.key.length === 1;
        const undo = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z';
        if (!undo && (event.ctrlKey || event.metaKey)) return;
        if (!handledKeys.has(event.key) && !printable && !undo) return;
        event.preventDefault();
        workspace.invokeMethodAsync('OnKey', event.key, event.shiftKey, undo)
            .catch(error => console.error(`The review key ${event.key} was not handled: ${error}`));
    };
    document.addEventListener('keydown', listener);
    element.dataset.keyboard = 'ready';
    focus(element);
}

export function detach() {
    if (listener) document.removeEventListener('keydown', listener);
    listener = null;
}

// Without scrolling: the workspace is taller than most screens, and scrolling its top to the window's would hide its
// header (the item's counters and history link) under the fixed app bar.
export function focus(element) {
    element.focus({ preventScroll: true });
}

// Keeps the focused attribute in view as the annotator moves through a long list.
export function reveal(element) {
    element.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
}

// Zoom with the wheel or [ and ], pan by dragging; the image keeps its place between zoom steps.
export function viewer(frame, imageId) {
    revealOriginals(frame);
    if (frame.viewerState) {
        if (frame.viewerState.imageId !== imageId) { frame.viewerState.imageId = imageId; zoom(frame, 'zoom-reset'); }
        frame.viewerState.apply(); // a veil drawn since takes the picture's zoom
        return;
    }
    const state = { scale: 1, x: 0, y: 0, dragging: null };
    // The picture and its region veil, if shown, move together.
    const apply = () => frame.querySelectorAll('img').forEach(img => { img.style.transform = `translate(${state.x}px, ${state.y}px) scale(${state.scale})`; });
    frame.addEventListener('wheel', event => {
        event.preventDefault();
        state.scale = Math.min(8, Math.max(1, state.scale * (event.deltaY < 0 ? 1.2 : 1 / 1.2)));
        if (state.scale === 1) { state.x = 0; state.y = 0; }
        apply();
    }, { passive: false });
    frame.addEventListener('pointerdown', event => { state.dragging = { x: event.clientX - state.x, y: event.clientY - state.y }; frame.setPointerCapture(event.pointerId); });
    frame.addEventListener('pointermove', event => { if (state.dragging) { state.x = event.clientX - state.dragging.x; state.y = event.clientY - state.dragging.y; apply(); } });
    frame.addEventListener('pointerup', () => { state.dragging = null; });
    frame.viewerState = { state, apply, imageId };
}

// An original is drawn over the thumbnail only once it has loaded, so the picture never goes blank while it comes.
function revealOriginals(frame) {
    frame.querySelectorAll('img.original:not(.loaded)').forEach(img => {
        const show = () => img.classList.add('loaded');
        if (img.complete && img.naturalWidth > 0) show();
        else img.addEventListener('load', show, { once: true });
    });
}

export function zoom(frame, action) {
    const { state, apply } = frame.viewerState;
    if (action === 'zoom-in') state.scale = Math.min(8, state.scale * 1.25);
    if (action === 'zoom-out') state.scale = Math.max(1, state.scale / 1.25);
    if (action === 'zoom-reset' || state.scale === 1) { state.scale = 1; state.x = 0; state.y = 0; }
    apply();
}
