"use client";

import "./globals.css";

/** Replaces the root layout when it fails; keeps to plain markup so it cannot fail itself. */
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh items-center justify-center bg-canvas p-6 font-sans text-fg">
        <title>Berth: error</title>
        <div role="alert" className="max-w-md text-center">
          <h1 className="text-lg font-semibold">Berth could not start this page</h1>
          <p className="mt-2 text-sm text-muted">
            Reload to try again. If it keeps failing, check the server logs.
          </p>
          <button
            type="button"
            onClick={() => retry()}
            className="mt-6 rounded-md bg-accent px-3.5 py-2 text-sm font-medium text-accent-fg"
          >
            Try again
          </button>
        </div>
      </body>
    </html>
  );
}
