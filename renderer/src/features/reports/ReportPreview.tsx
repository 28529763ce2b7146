import { useEffect, useRef } from 'react';

const DANGEROUS = 'script, iframe, object, embed, link, meta, base, form, frame, frameset';

/**
 * Shows a generated HTML report inside the app. The page's CSP forbids inline styles, so the report is
 * parsed inertly (DOMParser runs nothing), cleaned (no scripts, frames or event-handler attributes: a
 * report is text, it never needs them), and attached to a shadow root whose styles come from the report's
 * own <style> as a constructed stylesheet — isolated from the app's styles and the app's from it.
 */
export function ReportPreview({ html }: { html: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const css = Array.from(doc.querySelectorAll('style'), (style) => style.textContent ?? '').join('\n');
    for (const element of Array.from(doc.querySelectorAll(`style, ${DANGEROUS}`))) element.remove();
    for (const element of Array.from(doc.querySelectorAll('*'))) {
      for (const attribute of Array.from(element.attributes)) {
        const value = attribute.value.trim().toLowerCase();
        if (attribute.name.startsWith('on') || value.startsWith('javascript:')) element.removeAttribute(attribute.name);
      }
    }
    const sheet = new CSSStyleSheet();
    // @page and print rules are meaningless on screen; the rest styles the preview as it will print.
    sheet.replaceSync(
      `:host { display: block; background: #fff; color: #111; } ${css.replace(/@page[^{]*\{[^}]*\}/g, '')}`,
    );
    root.adoptedStyleSheets = [sheet];
    root.replaceChildren(...Array.from(doc.body.childNodes, (node) => document.importNode(node, true)));
  }, [html]);
  return <div className="report-preview" ref={hostRef} data-testid="report-preview" />;
}
