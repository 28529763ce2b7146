import { type ReactNode, useEffect, useRef } from 'react';

/** A modal <dialog>: the browser traps focus, Esc closes it, and the page behind is inert. */
export function Dialog({
  open,
  onClose,
  label,
  children,
  className = '',
}: {
  open: boolean;
  onClose: () => void;
  label: string;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    // Only Esc (the `cancel` event) closes from inside; a programmatic close must not report back,
    // or it would undo a dialog the app opened right after closing this one.
    <dialog
      ref={ref}
      className={`dialog ${className}`}
      aria-label={label}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open && children}
    </dialog>
  );
}
