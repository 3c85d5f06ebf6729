import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export interface ConfirmRequest {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Styles the confirm button as destructive and focuses Cancel first. */
  danger?: boolean;
}

type Confirm = (request: ConfirmRequest) => Promise<boolean>;

const ConfirmContext = createContext<Confirm>(async () => false);

export function useConfirm(): Confirm {
  return useContext(ConfirmContext);
}

interface Pending extends ConfirmRequest {
  resolve(answer: boolean): void;
}

/** Provides `useConfirm()`: a modal `<dialog>` that resolves true on confirm. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  const confirm = useCallback<Confirm>(
    (request) =>
      new Promise<boolean>((resolve) => {
        setPending((previous) => {
          previous?.resolve(false);
          return { ...request, resolve };
        });
      }),
    [],
  );

  useEffect(() => {
    const element = dialog.current;

    if (pending !== undefined && element !== null && !element.open) element.showModal();
  }, [pending]);

  const answer = (value: boolean) => {
    pending?.resolve(value);
    setPending(undefined);
    dialog.current?.close();
  };

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby={titleId}
        onCancel={(event) => {
          event.preventDefault();
          answer(false);
        }}
      >
        {pending && (
          <form
            method="dialog"
            onSubmit={(event) => {
              event.preventDefault();
              answer(true);
            }}
          >
            <h2 id={titleId}>{pending.title}</h2>
            <div className="confirm-message">{pending.message}</div>
            <div className="actions">
              <button type="button" autoFocus={pending.danger} onClick={() => answer(false)}>
                {pending.cancelLabel ?? 'Cancel'}
              </button>
              <button
                type="submit"
                className={pending.danger ? 'danger' : 'primary'}
                autoFocus={!pending.danger}
              >
                {pending.confirmLabel}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </ConfirmContext.Provider>
  );
}
