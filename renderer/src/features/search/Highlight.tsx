/** Text with the search terms marked (case-insensitive); rendered as text nodes only, never as HTML. */
export function Highlight({ text, terms }: { text: string; terms: string[] }) {
  const words = terms.filter((term) => term.length > 0).map((term) => term.replace(/\*$/, ''));
  if (words.length === 0) return <>{text}</>;
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const parts = text.split(new RegExp(`(${escaped.join('|')})`, 'gi'));
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string, in order, never reordered.
          <mark key={index}>{part}</mark>
        ) : (
          part
        ),
      )}
    </>
  );
}
