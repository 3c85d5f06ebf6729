import {
  useEffect,
  useSyncExternalStore,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type RefObject,
} from 'react';

export type Route =
  | { name: 'list' }
  | { name: 'create' }
  | { name: 'integration'; id: string }
  | { name: 'edit'; id: string }
  | { name: 'not-found'; path: string };

const INTEGRATION_PATH = /^\/integrations\/([A-Za-z0-9_-]+)\/?$/;
const EDIT_PATH = /^\/integrations\/([A-Za-z0-9_-]+)\/edit\/?$/;

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { name: 'list' };
  if (pathname === '/new' || pathname === '/new/') return { name: 'create' };

  const edit = EDIT_PATH.exec(pathname);

  if (edit) return { name: 'edit', id: edit[1]! };

  const integration = INTEGRATION_PATH.exec(pathname);

  if (integration) return { name: 'integration', id: integration[1]! };

  return { name: 'not-found', path: pathname };
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'list':
      return '/';
    case 'create':
      return '/new';
    case 'integration':
      return `/integrations/${encodeURIComponent(route.id)}`;
    case 'edit':
      return `/integrations/${encodeURIComponent(route.id)}/edit`;
    case 'not-found':
      return route.path;
  }
}

/** Query parameters kept on every in-app link, such as the session id. */
let stickyQuery = new URLSearchParams();

export function setStickyQuery(query: URLSearchParams): void {
  stickyQuery = query;
}

/** Builds an in-app URL for `route`, keeping the sticky query and adding `extra`. */
export function hrefFor(route: Route, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams(stickyQuery);

  for (const [key, value] of Object.entries(extra)) {
    if (value === '') query.delete(key);
    else query.set(key, value);
  }

  const search = query.toString();

  return `${routePath(route)}${search ? `?${search}` : ''}`;
}

// Location store for useSyncExternalStore. pushState does not fire an
// event, so navigate() notifies the listeners itself.
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);

  return () => listeners.delete(listener);
}

function snapshot(): string {
  return `${location.pathname}${location.search}`;
}

export function useLocation(): { route: Route; query: URLSearchParams; url: string } {
  const url = useSyncExternalStore(subscribe, snapshot);
  const parsed = new URL(url, location.origin);

  return { route: parseRoute(parsed.pathname), query: parsed.searchParams, url };
}

// Unsaved-changes guard. Each dirty form registers a key, and navigation
// requests confirmation before leaving while any key is registered.
const dirtyForms = new Set<symbol>();
let confirmLeave: () => Promise<boolean> = async () => true;
let currentUrl = typeof location === 'undefined' ? '/' : snapshot();
let skipNextPop = false;
/** Whether the app has navigated since the page loaded. */
let navigated = false;

export function setLeaveConfirmation(confirm: () => Promise<boolean>): void {
  confirmLeave = confirm;
}

export function hasUnsavedChanges(): boolean {
  return dirtyForms.size > 0;
}

/** Marks the calling component's form as holding unsaved changes while `dirty` is true. */
export function useUnsavedChanges(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return undefined;

    const key = Symbol('unsaved form');

    dirtyForms.add(key);

    return () => {
      dirtyForms.delete(key);
    };
  }, [dirty]);
}

/**
 * Goes to an in-app URL. Resolves false when the person chose to stay on a
 * page with unsaved changes.
 */
export async function navigate(url: string, options: { replace?: boolean } = {}): Promise<boolean> {
  if (url === snapshot()) return true;
  if (dirtyForms.size > 0 && !(await confirmLeave())) return false;

  dirtyForms.clear();

  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);

  currentUrl = snapshot();
  navigated = true;
  window.scrollTo(0, 0);
  notify();

  return true;
}

/** Updates the query of the current URL in place, without a guard or a history entry. */
export function replaceQuery(values: Record<string, string>): void {
  const url = new URL(location.href);

  for (const [key, value] of Object.entries(values)) {
    if (value === '') url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }

  history.replaceState(history.state, '', `${url.pathname}${url.search}`);
  currentUrl = snapshot();
  notify();
}

async function onPopState(): Promise<void> {
  if (skipNextPop) {
    skipNextPop = false;
  } else if (dirtyForms.size > 0) {
    // The browser has already moved, so put the edited page back before asking.
    history.pushState(null, '', currentUrl);

    if (!(await confirmLeave())) return;

    dirtyForms.clear();
    skipNextPop = true;
    history.back();
    return;
  }

  currentUrl = snapshot();
  navigated = true;
  notify();
}

function onBeforeUnload(event: BeforeUnloadEvent): void {
  if (dirtyForms.size === 0) return;

  event.preventDefault();
  // Older browsers show the prompt only when returnValue is set.
  event.returnValue = '';
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => void onPopState());
  window.addEventListener('beforeunload', onBeforeUnload);
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: Route;
  query?: Record<string, string>;
}

/** Renders an anchor that navigates inside the app. Modified clicks open a new tab as usual. */
export function Link({ to, query, onClick, ...rest }: LinkProps) {
  const href = hrefFor(to, query);

  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);

    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;

    event.preventDefault();
    void navigate(href);
  };

  return <a href={href} onClick={handleClick} {...rest} />;
}

/**
 * Moves focus to a page's heading after an in-app navigation, so keyboard and
 * screen-reader users start at the new page. On the first load the browser's
 * own order applies, starting with the skip link.
 */
export function useFocusAfterNavigation(target: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (navigated) target.current?.focus({ preventScroll: true });
  }, [target]);
}
