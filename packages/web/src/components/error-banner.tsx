import type { ReactNode } from 'react';

import { describeError, type ErrorContext } from '../errors.js';

interface ErrorBannerProps {
  error: unknown;
  context: ErrorContext;
  children?: ReactNode;
}

/** Shows an API or network failure in words, with the service's detail in small print. */
export function ErrorBanner({ error, context, children }: ErrorBannerProps) {
  const message = describeError(error, context);

  return (
    <div className="banner error" role="alert">
      <p>{message.text}</p>
      {message.detail !== undefined && message.detail !== message.text && (
        <p className="detail">Service detail: {message.detail}</p>
      )}
      {children && <div className="actions">{children}</div>}
    </div>
  );
}

export function Notice({
  children,
  tone = 'info',
}: {
  children: ReactNode;
  tone?: 'info' | 'success';
}) {
  return (
    <div className={`banner ${tone}`} role="status">
      {children}
    </div>
  );
}
