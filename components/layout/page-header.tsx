import type { ReactNode } from "react";

type TPageHeaderProps = {
  title: ReactNode;
  description?: ReactNode;
  /** Buttons at the right; they wrap below the title on phones. */
  actions?: ReactNode;
  /** Above the title: a back link or breadcrumb. */
  back?: ReactNode;
};

export function PageHeader({ title, description, actions, back }: TPageHeaderProps) {
  return (
    <div className="mb-5">
      {back ? <div className="mb-2">{back}</div> : null}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold tracking-tight break-words">{title}</h1>
          {description ? <div className="mt-1 text-sm text-muted">{description}</div> : null}
        </div>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
    </div>
  );
}
