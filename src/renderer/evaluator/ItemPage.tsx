// The page both views render around their item: the header (progress, save state), the thank-you
// once submitted, the item's region with its title, navigation, submit button and key hints, and
// the submit confirmation. The view supplies only what is inside the item.
import type { ReactNode } from 'react';
import { ItemNav, SubmitDialog, ThankYou, TopBar } from './Frame';
import type { BaseAnswer, ItemSession } from './useItemSession';

export function ItemPage<I, A extends BaseAnswer>(props: {
  session: ItemSession<I, A>;
  title: string;
  who: string;
  onLeave?: () => void;
  /** What is submitted, in words ("scores", "labels"). */
  what: string;
  /** How an item that is not done is described in the submit warning. */
  openWord: string;
  /** Shown instead of the item when there are none. */
  empty: string;
  /** The item has been skipped (human evaluation only). */
  skipped?: boolean;
  hints: ReactNode;
  /** Beside the item (the annotation guidelines). */
  aside?: ReactNode;
  /** The item's content, below its title. */
  children: ReactNode;
}) {
  const { session: s } = props;
  const { item, answer, index, items } = s;
  const main = (
    <main className="ev-main">
      {s.submittedAt && <ThankYou submittedAt={s.submittedAt} what={props.what} />}
      {!item || !answer ? (
        <p className="ev-card">{props.empty}</p>
      ) : (
        <section
          ref={s.region}
          role="region"
          aria-label={`Item ${index + 1} of ${items.length}`}
          tabIndex={-1}
          className="ev-item"
        >
          <h2 className="ev-item-title">
            Item {index + 1} of {items.length}
            {props.skipped && <span className="ev-tag">Skipped</span>}
            {answer.flagged && <span className="ev-tag ev-tag-flag">Flagged</span>}
          </h2>
          {props.children}
          <ItemNav
            index={index}
            total={items.length}
            go={s.go}
            extra={
              !s.readOnly && (
                <button type="button" className="ev-btn" onClick={s.openSubmit}>
                  {`Submit ${props.what}`}
                </button>
              )
            }
          />
          <p className="ev-hints" aria-hidden="true">
            {props.hints}
          </p>
        </section>
      )}
    </main>
  );
  return (
    <div className="ev-page">
      {/* While the confirmation is open, the rest of the page takes no focus or clicks. */}
      <div inert={s.dialog !== null}>
        <TopBar
          title={props.title}
          who={props.who}
          done={s.done}
          total={items.length}
          status={s.status}
          onLeave={props.onLeave}
        />
        {props.aside ? (
          <div className="ev-columns">
            {main}
            {props.aside}
          </div>
        ) : (
          main
        )}
      </div>
      {s.dialog && (
        <SubmitDialog
          what={props.what}
          open={items.length - s.done}
          openWord={props.openWord}
          busy={s.dialog.busy}
          error={s.dialog.error}
          onSubmit={() => void s.submit()}
          onCancel={s.cancelSubmit}
          onGoToOpen={s.goToFirstOpen}
        />
      )}
    </div>
  );
}
