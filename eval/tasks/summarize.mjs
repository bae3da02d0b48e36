// Short documents of many kinds (news, reviews, support tickets, incident reports, meeting notes,
// research abstracts, announcements), each with the one fact a reader must get from a summary,
// chosen by hand before running anything. A case is correct when the summary respects max_words
// and contains that key phrase (case-insensitive). The local tier is extractive, so this measures
// whether it keeps the sentence that carries the main point within the budget.
export const description = '32 hand-written documents with a hand-picked key fact; correct = within max_words and keeps the key fact';
export const metric = 'accuracy';

const doc = (text, key, max_words = 30) => ({ request: { text, max_words }, expected: { key, max_words } });

export const cases = [
  doc(
    'Northwind Airlines will cut 1,200 jobs by the end of the year, the company said on Monday. ' +
      'The cuts affect mostly ground staff at its two largest hubs. Fuel costs rose by a third over the past twelve months. ' +
      'Unions called the decision short-sighted and announced talks with management next week. Shares rose 4 percent after the announcement.',
    'cut 1,200 jobs',
  ),
  doc(
    'I bought this kettle three months ago. It looked great and boiled water quickly at first. ' +
      'Last week the switch stopped working and the kettle no longer turns on at all. ' +
      'Customer service asked for photos and has not replied since. I would not buy this brand again.',
    'no longer turns on',
  ),
  doc(
    'Hi team, a quick update on the website migration. The new site is ready, but the payment page still fails in testing. ' +
      'Because of that, the launch moves from 3 June to 17 June. Everything else, including the blog and the help centre, is on track. ' +
      'Please tell your customers about the new date.',
    'launch moves from 3 June to 17 June',
  ),
  doc(
    'At 02:14 UTC the primary database ran out of disk space and stopped accepting writes. ' +
      'For 38 minutes, customers could log in but could not save changes. On-call engineers freed space by removing old backups and restarted the service. ' +
      'We are adding disk usage alerts at 80 percent so this cannot happen silently again.',
    'ran out of disk space',
  ),
  doc(
    'We studied sleep patterns in 2,400 teenagers over three years. Students who used phones after midnight slept 50 minutes less on school nights. ' +
      'They also reported lower mood and worse grades. The effect remained after accounting for age, gender and family income. ' +
      'Schools may want to teach students about screen use at night.',
    'slept 50 minutes less',
  ),
  doc(
    'The Riverside public library will close for renovation from 1 July. ' +
      'The work will add a children\'s wing, a café and new study rooms. ' +
      'During the closure, books can be borrowed from a temporary branch in the town hall. ' +
      'The library expects to reopen in the spring of next year.',
    'close for renovation',
  ),
  doc(
    'My order #44821 arrived yesterday, but the box contained the wrong size. I ordered the jacket in medium and received a small. ' +
      'I would like to exchange it for a medium as soon as possible because I need it for a trip on Friday. ' +
      'Please send a return label. Thank you.',
    'exchange it for a medium',
  ),
  doc(
    'United came from two goals down to beat City 3-2 on Saturday. ' +
      'City led at half-time through goals from Silva and Okafor. After the break, United pressed higher and scored twice in eight minutes. ' +
      'Substitute Daniel Mensah hit the winner in the 89th minute. The win lifts United to third in the table.',
    'beat City 3-2',
  ),
  doc(
    'Starting next month, all employees must use two-factor authentication to sign in to company systems. ' +
      'IT will send setup instructions by email this week. The change follows several phishing attempts against staff accounts in the spring. ' +
      'Accounts without two-factor authentication will be locked after 30 June.',
    'two-factor authentication',
  ),
  doc(
    'The new Pixel Pro has the best camera we have tested this year. Low-light photos are sharp and natural, and video stabilisation is excellent. ' +
      'Battery life is average, lasting about a day of heavy use. The phone is also expensive compared with its rivals. ' +
      'If photography matters most to you, it is the one to buy.',
    'best camera',
  ),
  doc(
    'Researchers have found that a common blood pressure drug may slow the progression of early Alzheimer\'s disease. ' +
      'In a trial with 600 patients, those taking the drug declined 30 percent more slowly on memory tests over 18 months. ' +
      'The authors caution that a larger study is needed before doctors change their prescriptions.',
    'slow the progression',
  ),
  doc(
    'Minutes of the board meeting, 12 March. The board approved the purchase of a second warehouse in Leeds for 4.2 million pounds. ' +
      'The finance director presented the quarterly results, which were in line with the budget. ' +
      'A proposal to open an office in Madrid was postponed until the autumn. The next meeting is on 9 April.',
    'second warehouse in Leeds',
  ),
  doc(
    'Heavy snow closed the mountain pass between Andermatt and Airolo on Wednesday. ' +
      'Dozens of trucks were stuck for several hours before police escorted them back down. ' +
      'Forecasters expect another 60 centimetres of snow by Friday. Drivers are advised to use the rail tunnel instead.',
    'closed the mountain pass',
  ),
  doc(
    'Our app now supports dark mode. You can turn it on in Settings, under Appearance, or let it follow your phone\'s system setting. ' +
      'We have also fixed a bug that logged some users out after updating. ' +
      'Thank you to everyone who sent feedback about the bright screen at night.',
    'dark mode',
  ),
  doc(
    'The factory in Ostrava will switch entirely to renewable electricity by 2026, the company announced. ' +
      'It will install solar panels on the roofs and buy the rest from a nearby wind farm. ' +
      'The plant currently uses as much power as a town of 20,000 people. The investment is estimated at 15 million euros.',
    'renewable electricity by 2026',
  ),
  doc(
    'The hotel was clean and the staff were friendly. However, our room faced the main road and the noise kept us awake every night. ' +
      'We asked to move, but the hotel was fully booked. Breakfast was good, with plenty of fresh fruit. ' +
      'Ask for a room at the back if you stay here.',
    'noise kept us awake',
  ),
  doc(
    'Dear customer, we noticed an unusual sign-in to your account from a new device in Brazil on 4 May. ' +
      'If this was you, no action is needed. If it was not you, please reset your password immediately and review your recent orders. ' +
      'We will never ask for your password by email.',
    'unusual sign-in',
  ),
  doc(
    'The city will plant 10,000 trees over the next five years to cool its hottest neighbourhoods. ' +
      'Summer temperatures in some districts are up to 6 degrees higher than in nearby parks. ' +
      'Residents can request a tree for their street on the council website. The first planting starts in October.',
    'plant 10,000 trees',
  ),
  doc(
    'Version 3 of the API removes the old XML format. All responses are now JSON. ' +
      'Clients that still request XML will receive an error from 1 September. ' +
      'Migration guides and code examples are available in the developer portal. Version 2 will remain available until the end of the year.',
    'removes the old XML format',
  ),
  doc(
    'The museum has returned a bronze statue to Greece after a two-year investigation showed it had been stolen in the 1970s. ' +
      'The statue was bought at an auction in London in 1988. Greek officials welcomed the decision at a ceremony in Athens. ' +
      'It will be shown at the National Archaeological Museum from next month.',
    'returned a bronze statue to Greece',
  ),
  doc(
    'Sales of electric cars in Norway reached 90 percent of all new cars last year. ' +
      'Generous tax breaks and a dense charging network helped drive the shift. ' +
      'Petrol and diesel models now make up a tiny share of the market. The government aims to end sales of fossil-fuel cars entirely by 2025.',
    '90 percent of all new cars',
  ),
  doc(
    'I am writing to cancel my gym membership, number 55-2019, effective at the end of this month. ' +
      'I am moving to another city for work and will not be able to use the gym. ' +
      'Please confirm the cancellation and let me know if you need anything else from me.',
    'cancel my gym membership',
  ),
  doc(
    'A power cut left 40,000 homes in the north of the city without electricity for most of Sunday. ' +
      'The grid operator said a fire at a substation caused the outage. Power was restored to all homes by 9 pm. ' +
      'Hospitals used backup generators and reported no problems.',
    'power cut left 40,000 homes',
  ),
  doc(
    'The central bank raised its main interest rate by half a percentage point to 4.5 percent on Thursday. ' +
      'It was the fourth increase this year. The bank said inflation remained too high, at 7 percent, and that further rises were possible. ' +
      'Mortgage rates are expected to follow.',
    'raised its main interest rate',
  ),
  doc(
    'The school will offer free breakfast to all pupils from September. ' +
      'Teachers had noticed that many children arrived hungry and found it hard to concentrate in the morning. ' +
      'Breakfast will be served from 7:45 in the dining hall. Parents do not need to register.',
    'free breakfast to all pupils',
  ),
  doc(
    'Scientists have discovered a new species of frog in the cloud forests of Ecuador. ' +
      'The frog is about the size of a thumbnail and has bright orange spots on its back. ' +
      'It was found during a survey of a remote valley that had not been studied before. The team believes the species is already endangered.',
    'new species of frog',
  ),
  doc(
    'Thanks for reporting the problem with exported invoices. We found that invoices with more than 100 lines were cut off in the PDF. ' +
      'A fix has been released today, and all new exports will include every line. ' +
      'If you need an old invoice exported again, reply to this email and we will do it for you.',
    'fix has been released',
  ),
  doc(
    'The festival has been cancelled this year because of the drought. ' +
      'Organisers said the fire risk in the park was too high and the water supply could not support 30,000 visitors. ' +
      'Ticket holders will get a full refund within two weeks. The festival hopes to return next summer.',
    'festival has been cancelled',
  ),
  doc(
    'A new rail line between the airport and the city centre opened on Friday. ' +
      'Trains run every ten minutes and the journey takes 18 minutes, half the time of the bus. ' +
      'A single ticket costs 6 euros. Officials expect 25,000 passengers a day.',
    'new rail line between the airport and the city centre',
  ),
  doc(
    'We are recalling 14,000 bottles of our organic apple juice after tests found traces of mould. ' +
      'The affected bottles have a best-before date of 12 November. Customers should not drink the juice and can return it to any store for a refund. ' +
      'No illnesses have been reported.',
    'recalling 14,000 bottles',
  ),
  doc(
    'The marathon record was broken on Sunday in Berlin. Kenyan runner Grace Wanjiru finished in 2 hours 11 minutes, 40 seconds faster than the old record. ' +
      'Cool weather and a flat course helped the runners. More than 45,000 people took part.',
    'record was broken',
    20,
  ),
  doc(
    'The council has approved plans for 800 new homes on the site of the old steelworks. ' +
      'A third of the homes will be offered at affordable rents. The plans also include a primary school, a health centre and a park. ' +
      'Building work is expected to start next year and to take about seven years. Some residents objected to the extra traffic.',
    '800 new homes',
    20,
  ),
];

export function correct(envelope, expected) {
  const summary = envelope.results[0].summary;
  const words = summary.split(/\s+/).filter(Boolean).length;
  return words <= expected.max_words && summary.toLowerCase().includes(expected.key.toLowerCase());
}
