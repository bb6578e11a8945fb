import { useCallback, useEffect, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { countBy, KeyPicker } from '../../components/key-picker';
import { useStatus } from '../../components/status';
import { useLoader } from '../../components/use-loader';
import { isAdmin } from '../../session';
import type { ScreenProps } from '../screen';
import { BenchmarkList } from './benchmark-list';
import { CreativeRanking } from './creative-ranking';
import {
  type Creative,
  type MarketApi,
  type MarketArm,
  type MarketRanking,
  marketApi,
  type PerformanceInput,
  percent,
  SUGGESTIONS,
  summaryOf,
} from './market-api';
import { AddCreativeForm, PerformanceForm } from './performance-form';

/**
 * Market intelligence (seed 003): the public benchmarks, a category's creatives ranked by
 * Thompson sampling (posterior mean, 95% interval, P(best)), what to produce next, recording
 * results, and, for admins, forcing a creative's vision analysis.
 */
export function MarketScreen({ api, session, location }: ScreenProps) {
  const category = location.params.get('category')?.trim() ?? '';
  const market = useMemo(() => marketApi(api), [api]);
  const [categories, setCategories] = useState<Map<string, number>>();
  const [categoriesError, setCategoriesError] = useState<unknown>();

  const readCategories = useCallback(async () => {
    try {
      setCategories(countBy(await market.creatives(), (creative) => creative.productCategory));
      setCategoriesError(undefined);
    } catch (thrown) {
      setCategoriesError(thrown);
    }
  }, [market]);
  useEffect(() => {
    void readCategories();
  }, [readCategories]);

  return (
    <>
      <KeyPicker
        path="/market"
        param="category"
        heading="Product category"
        label="Category"
        submit="Show creatives"
        listTitle="Categories with creatives"
        current={category}
        counts={categories}
      />
      <ErrorMessage error={categoriesError} title="The org's creatives could not be read" />
      {category !== '' && (
        <CategoryMarket
          key={category}
          market={market}
          category={category}
          admin={isAdmin(session)}
          orgId={session.orgId}
          onCreativesChanged={() => void readCategories()}
        />
      )}
      <BenchmarkList market={market} />
    </>
  );
}

interface CategoryMarketProps {
  market: MarketApi;
  category: string;
  admin: boolean;
  orgId: string;
  onCreativesChanged: () => void;
}

/** One category: the ranking, the suggestions and the forms that move them. */
function CategoryMarket({
  market,
  category,
  admin,
  orgId,
  onCreativesChanged,
}: CategoryMarketProps) {
  const status = useStatus();
  const [ranking, setRanking] = useState<MarketRanking>();
  const [suggestions, setSuggestions] = useState<MarketArm[]>();
  const [creatives, setCreatives] = useState<Map<string, Creative>>(new Map());
  const loader = useLoader();
  const loadError = loader.error;
  const [busy, setBusy] = useState(false);

  const reload = useCallback(
    () =>
      loader.run(
        async () => {
          const [ranked, list] = await Promise.all([
            market.rank(category),
            market.creatives(category),
          ]);
          // Choosing needs at least one arm; with none there is nothing to suggest.
          const chosen = ranked.arms.length === 0 ? [] : await market.choose(category);
          return { ranked, list, chosen };
        },
        ({ ranked, list, chosen }) => {
          setRanking(ranked);
          setCreatives(new Map(list.map((creative) => [creative.id, creative])));
          setSuggestions(chosen);
        },
      ),
    [loader.run, market, category],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  async function suggestAgain() {
    try {
      setSuggestions(await market.choose(category));
      status.say('Drew new suggestions.');
    } catch (thrown) {
      status.fail(thrown);
    }
  }

  async function force(arm: MarketArm) {
    if (busy) return;
    setBusy(true);
    status.say(`Analysing “${arm.label}”…`);
    try {
      const analysed = await market.forceAnalyze(arm.id);
      const summary = summaryOf(analysed);
      status.say(`Analysed “${analysed.name}”${summary === undefined ? '.' : `: ${summary}`}`);
    } catch (thrown) {
      status.fail(thrown);
    } finally {
      setBusy(false);
      await reload();
    }
  }

  async function record(creativeId: string, input: PerformanceInput, key: string) {
    const result = await market.recordPerformance(creativeId, input, key);
    const { creative } = result;
    status.say(
      result.applied
        ? `Recorded results for “${creative.name}”: ${creative.clicks} clicks and ${creative.conversions} conversions in all.${result.analysisQueued ? ' Its analysis is queued.' : ''}`
        : `These results for “${creative.name}” were recorded before; nothing was added.`,
    );
    await reload();
    return result;
  }

  async function add(name: string) {
    const created = await market.addCreative(category, name);
    status.say(`Added “${created.name}”.`);
    await reload();
    onCreativesChanged();
  }

  const arms = ranking?.arms ?? [];
  return (
    <>
      <section className="panel" aria-labelledby="ranking-heading">
        <h2 id="ranking-heading">Creatives of {category}</h2>
        <p className="hint">
          Each creative's conversion rate as a Beta posterior: its market prior (for benchmarks) and
          the results recorded here. P(best) is the share of {ranking?.draws ?? 'the'} Thompson
          draws in which it came out on top.
        </p>
        <ErrorMessage error={loadError} title="The ranking could not be read" />
        {ranking === undefined && loadError === undefined && <p className="hint">Loading…</p>}
        {ranking !== undefined && arms.length === 0 && (
          <p className="empty">{category} has no creatives yet. Add one below.</p>
        )}
        {arms.length > 0 && (
          <CreativeRanking
            category={category}
            arms={arms}
            creatives={creatives}
            canForce={admin}
            orgId={orgId}
            busy={busy}
            onForce={(arm) => void force(arm)}
          />
        )}
      </section>
      {suggestions !== undefined && suggestions.length > 0 && (
        <section className="panel" aria-labelledby="suggestions-heading">
          <div className="panel__head">
            <h2 id="suggestions-heading">Next to produce</h2>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void suggestAgain()}
            >
              Suggest again
            </button>
          </div>
          <p className="hint">
            One Thompson draw per creative, the {SUGGESTIONS} highest: mostly the likely winners,
            sometimes an uncertain one worth testing.
          </p>
          <ol className="market__suggestions" data-testid="suggestions">
            {suggestions.map((arm) => (
              <li key={arm.id} data-creative={arm.id}>
                <span className="market__suggestion-name">{arm.label}</span>{' '}
                <span className="hint">
                  mean {percent(arm.mean)}, 95% interval {percent(arm.interval.lower)} to{' '}
                  {percent(arm.interval.upper)}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {arms.length > 0 && <PerformanceForm arms={arms} onRecord={record} />}
      <AddCreativeForm onAdd={add} />
    </>
  );
}
