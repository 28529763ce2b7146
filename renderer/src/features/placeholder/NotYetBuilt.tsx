/** Shown for screens whose feature has not landed yet, so the frame is honest about what works. */
export function NotYetBuilt({ title, what }: { title: string; what: string }) {
  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">{title}</h1>
      </div>
      <div className="panel panel-body">
        <p className="muted" style={{ margin: 0 }}>
          {what} This screen is not available in this build yet; the command line (
          <span className="mono">npm run -s cli -- --help</span>) covers the store's core operations.
        </p>
      </div>
    </div>
  );
}
