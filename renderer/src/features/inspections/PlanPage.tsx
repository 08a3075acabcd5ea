// 抽查计划: a bureau's draw (双随机、一公开). The objects (its schools, with risk weights: a school with weight
// 3 is as likely to be drawn as three of weight 1), the inspector pool (accounts with an enforcement ID; their
// declared conflicts come from the register, never typed), a ratio or a count, K ≥ 2 inspectors per school
// (R-INSP-2) and a seed. The draw is a pure function of these (shared/inspections/draw.ts); the public list
// names the seed and the inputs' hash, and anyone can re-run it (xueji draw --verify). Publishing opens
// one inspection per drawn school on the server.
import {
  App,
  Button,
  Card,
  Descriptions,
  Input,
  InputNumber,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import type { DrawRegister } from '../../../../shared/inspections/plan';
import { planPublication } from '../../../../shared/inspections/plan';
import type { PlanDoc } from '../../../../shared/inspections/records';
import { useDesk } from '../../app/session';
import { send } from '../../db/commands';
import { REGISTER_DOC } from '../../db/commands/inspections';
import { refusalText, useInspectionRecord } from './use-inspections';
import './inspections.css';

function useRegister(): DrawRegister | null {
  const { db } = useDesk();
  const [r, setR] = useState<DrawRegister | null>(null);
  useEffect(() => {
    const sub = db
      .getLocal$<DrawRegister>(REGISTER_DOC)
      .subscribe((d) => setR(d ? (d.toJSON().data as DrawRegister) : null));
    return () => sub.unsubscribe();
  }, [db]);
  return r;
}

export function PlanPage({ id }: { id: string }) {
  const { message } = App.useApp();
  const plan = useInspectionRecord<PlanDoc>(id);
  const register = useRegister();
  const [seed, setSeed] = useState('');
  useEffect(() => setSeed(plan?.seed ?? ''), [plan?.seed]);
  if (plan === undefined) return null;
  if (plan?.kind !== 'plan') return <Typography.Text>找不到该抽查计划</Typography.Text>;
  const draft = plan.status === 'draft';
  const schools = new Map((register?.schools ?? []).map((s) => [s.id, s]));
  const people = new Map(plan.inputs.inspectors.map((p) => [p.id, p]));
  const chosen = new Map(plan.inputs.objects.map((o) => [o.id, o.weight]));

  const apply = async (change: Parameters<typeof send<'plan-change'>>[1]['change']) => {
    if (!register) return message.error('本机没有执法检查人员名录和检查对象名录，请联网后重新打开');
    const why = refusalText(await send('plan-change', { id, change, register }));
    if (why) message.error(why);
  };
  const act = async (name: 'plan-draw' | 'plan-publish') => {
    const why = refusalText(await send(name, { id }));
    if (why) message.error(why);
    else message.success(name === 'plan-draw' ? '已抽取' : '已公示：各抽中学校的检查已分配给检查人员');
  };
  const publication = plan.draw ? planPublication(plan) : null;
  const size = plan.inputs.size;

  return (
    <div className="xj-insp-page" data-testid="plan-page">
      <Card
        size="small"
        className="xj-insp-card"
        title={`${plan.title}（${plan.matter.id}）`}
        extra={<Tag color={draft ? 'default' : 'purple'}>{draft ? '草稿' : '已公示'}</Tag>}
      >
        <Space wrap size={24}>
          <Space>
            <span>抽取</span>
            <Radio.Group
              disabled={!draft}
              value={'count' in size ? 'count' : 'ratio'}
              onChange={(e) => apply({ size: e.target.value === 'count' ? { count: 1 } : { ratio: 0.2 } })}
            >
              <Radio value="ratio">按比例</Radio>
              <Radio value="count">按数量</Radio>
            </Radio.Group>
            {'count' in size ? (
              <InputNumber
                data-testid="plan-count"
                disabled={!draft}
                min={1}
                max={plan.inputs.objects.length || 1}
                value={size.count}
                onChange={(v) => v && apply({ size: { count: v } })}
                addonAfter="所"
              />
            ) : (
              <InputNumber
                disabled={!draft}
                min={1}
                max={100}
                value={Math.round(size.ratio * 100)}
                onChange={(v) => v && apply({ size: { ratio: v / 100 } })}
                addonAfter="%"
              />
            )}
          </Space>
          <Space>
            <span>每校检查人员</span>
            <InputNumber
              data-testid="plan-per-object"
              disabled={!draft}
              min={2}
              max={10}
              value={plan.inputs.perObject}
              onChange={(v) => v && apply({ perObject: v })}
              addonAfter="人"
            />
          </Space>
          <Space>
            <span>随机种子</span>
            <Input
              data-testid="plan-seed"
              disabled={!draft}
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
              onBlur={() => seed !== (plan.seed ?? '') && apply({ seed })}
              style={{ width: 200 }}
              placeholder="如 2026-秋季-01"
            />
          </Space>
          {draft ? (
            <Space>
              <Button
                data-testid="plan-draw"
                onClick={async () => {
                  if (seed !== (plan.seed ?? '')) await apply({ seed });
                  await act('plan-draw');
                }}
              >
                抽取
              </Button>
              <Button
                type="primary"
                data-testid="plan-publish"
                disabled={!plan.draw}
                onClick={() => act('plan-publish')}
              >
                公示并分配检查
              </Button>
            </Space>
          ) : null}
        </Space>
        <Typography.Paragraph type="secondary" className="xj-insp-note">
          风险权重：权重为 3 的学校被抽中的机会相当于 3 所权重为 1
          的学校（投诉较多、以往检查发现问题的学校可提高权重）。与学校有利害关系的检查人员不会被抽到该校（R-INSP-RECUSE
          回避）；每校不少于 2 名检查人员（R-INSP-2）。
        </Typography.Paragraph>
      </Card>
      <div className="xj-insp-columns">
        <Card
          size="small"
          className="xj-insp-card"
          title={`检查对象名录（${plan.inputs.objects.length} 所）`}
        >
          <Table
            size="small"
            rowKey="id"
            pagination={{ pageSize: 8, hideOnSinglePage: true }}
            dataSource={
              register?.schools ??
              plan.inputs.objects.map((o) => ({
                id: o.id,
                name: o.name,
                schoolType: 'k12' as const,
                path: '',
              }))
            }
            columns={[
              { title: '学校', dataIndex: 'name' },
              {
                title: '类别',
                width: 70,
                render: (_, s) => (s.schoolType === 'vocational' ? '中职' : '中小学'),
              },
              {
                title: '风险权重',
                width: 110,
                render: (_, s) =>
                  chosen.has(s.id) ? (
                    <InputNumber
                      size="small"
                      disabled={!draft}
                      min={1}
                      max={1000}
                      value={chosen.get(s.id)}
                      onChange={(v) =>
                        v &&
                        apply({
                          objects: plan.inputs.objects.map((o) =>
                            o.id === s.id ? { id: o.id, weight: v } : { id: o.id, weight: o.weight ?? 1 },
                          ),
                        })
                      }
                    />
                  ) : (
                    '不参加'
                  ),
              },
            ]}
          />
        </Card>
        <Card
          size="small"
          className="xj-insp-card"
          title={`执法检查人员名录（${plan.inputs.inspectors.length} 人）`}
        >
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={plan.inputs.inspectors}
            columns={[
              { title: '姓名', dataIndex: 'name', width: 90 },
              { title: '执法证号', dataIndex: 'enforcementId' },
              {
                title: '申报回避',
                render: (_, p) =>
                  p.conflicts.length === 0
                    ? '无'
                    : p.conflicts.map((c) => schools.get(c)?.name ?? c).join('、'),
              },
            ]}
          />
        </Card>
      </div>
      {plan.draw ? (
        <Card size="small" className="xj-insp-card" title="抽取结果（公开名单）" data-testid="plan-result">
          <Descriptions size="small" column={3}>
            <Descriptions.Item label="随机种子">{String(plan.draw.seed)}</Descriptions.Item>
            <Descriptions.Item label="抽取日期">{plan.drawDate}</Descriptions.Item>
            <Descriptions.Item label="输入校验值">
              <Typography.Text code className="xj-insp-hash">
                {plan.draw.inputsHash.slice(0, 16)}…
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="object"
            pagination={false}
            dataSource={plan.draw.draws}
            columns={[
              {
                title: '抽中学校',
                render: (_, d) =>
                  schools.get(d.object)?.name ??
                  plan.inputs.objects.find((o) => o.id === d.object)?.name ??
                  d.object,
              },
              {
                title: '检查人员',
                render: (_, d) => d.inspectors.map((i) => people.get(i)?.name ?? i).join('、'),
              },
              {
                title: '执法证号',
                render: (_, d) => d.inspectors.map((i) => people.get(i)?.enforcementId ?? '').join('；'),
              },
            ]}
          />
          {publication && !publication.ok ? (
            <Typography.Text type="danger">
              {publication.problems.map((p) => p.message).join('；')}
            </Typography.Text>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
