/**
 * Name lists for the PERSON recognizer, written for this project: common given names and
 * surnames across the US, UK, Europe, Latin America, South and East Asia, the Middle East and
 * Africa. Lower case; one space between entries.
 */

const GIVEN = `
aaliyah aaron abby abdul abdullah abel abigail abraham adam adebayo adeel adele adrian adriana agnes agnieszka ahmad ahmed aidan aiden aisha akira alan alba albert alberto aleksandra alejandra alejandro alessandro alessia alex alexa alexander alexandra alexandre alexis alfie alfred ali alice alicia alina alisha alison allison alma amanda amara amber amelia amina amir amit amy ana anastasia anders andre andrea andreas andrei andrew andrzej andy angel angela angelica angelina angie anika anita anja ann anna anne annette annie anthony antoine antonio anya april arjun arnav arthur artur arturo ashley astrid audrey aurora austin ava axel ayesha barbara barry bart beatriz beatrice becky ben benjamin bernard bernadette beth bethany betty beverly bianca bill billy birgit bjorn blake bobby bogdan boris brad bradley brandon brandy brenda brendan brett brian briana bridget brittany brittney brooke bruce bruno bryan caitlin caleb cameron camila camille candice cara carl carla carlos carmen carol carole caroline carolyn carrie casey cassandra catherine cathy cecilia cedric celine chad chandra charles charlie charlotte chelsea cheryl chloe chris christian christina christine christopher cindy claire clara clarence claudia clayton clement colin connor constance cora corey courtney craig cristina crystal cynthia dale dalia damian dan dana daniel daniela danielle danny dariusz darren dave david dawn dean debbie deborah debra deepak deepika denise dennis derek desmond destiny devin diana diane diego dimitri dina dmitri dmitry dominic dominika donald donna dora doris dorothy douglas duncan dustin dylan ebony eddie edgar edith edward edwin eileen elaine elena eleanor eli elif elijah elisa elisabeth elise eliza elizabeth ella ellen ellie elsa emanuel emil emilia emilie emily emma emmanuel enrique eric erica erik erika erin ernest esther ethan eugene eva evan evelyn ewa fabian farah farid fatima felipe felix fernanda fernando filip fiona florian frances francesca francesco francisco francois frank franz fred frederick freya gabriel gabriela gabrielle gareth gary gavin gemma george georgia gerald gerard gianluca gina giovanni giulia giuseppe glen glenn gloria gordon grace graham greg gregory greta gustavo hailey haley hamza hana hannah hans harold harriet harry harvey hassan hayden heather hector heidi helen helena henrik henry hiroshi holly howard hugo hussein ian ibrahim ida igor ilya imran ines ingrid irene irina iris isaac isabel isabella isabelle ivan ivana jack jackie jackson jacob jacqueline jade jaime jake james jamie jan jana jane janet janice jared jasmine jason javier jay jean jeff jeffrey jenna jennifer jenny jeremy jerome jerry jerzy jesse jessica jesus jill jillian jim jimmy jin joan joanna joanne joao jodie joe joel johan johanna john johnny jon jonas jonathan jordan jorge jose josef joseph josephine josh joshua joyce juan judith judy julia julian juliana julie julien julius june justin kai kamal karen karim karin karina karl karolina kate katarzyna katelyn katherine kathleen kathryn kathy katie katrin kayla keith kelli kelly ken kenji kenneth kerry kevin khalid kim kimberly kirsten kristen kristin kristina krzysztof kurt kyle lana lara larry laura lauren laurie lea leah lee leila lena leo leon leonardo leslie liam lily linda lindsay lindsey lisa logan lorena lorenzo lori louis louise lucas lucia lucy luis luka lukas luke lydia lynn madison magdalena maggie magnus mahmoud maja malik mandy manuel marc marcel marcin marco marcus margaret maria mariana marie marina mario marion marisa marta martha martin marwa mary maryam mason mateo matias matt matteo matthew maureen maurice max maxim maxine maya megan meghan mehmet melanie melissa mia michael michaela michal michel michelle miguel mika mikhail mila milan miriam mohamed mohammad mohammed monica monika morgan muhammad nadia nancy naomi natalia natalie natasha nathan neha neil nicholas nicola nicolas nicole niklas nikita nikolai nina noah noel nora norma oleg olga oliver olivia omar oscar owen pablo pamela paola patricia patrick paul paula pauline pavel pedro peggy penelope peter petra philip philippe phillip phoebe pierre piotr pooja priya priyanka rachel rafael rahul raj rajesh ralph ramon randy raquel rashid raul rebecca regina renata rhonda ricardo richard rick ricky rita robert roberta roberto robin rodrigo roger roland roman ronald ronnie rosa rosemary ross ruben russell ruth ryan sabrina sadie sahil salma sam samantha samir samuel sandra sanjay sara sarah sasha scott sean sebastian sergei sergey sergio seth shannon sharon shawn sheila shirley siddharth simon simone sofia sonia sophia sophie stacy stanley stefan stefanie stella stephanie stephen steve steven stuart sunil susan suzanne svetlana sven sylvia tamara tammy tanya tara taylor teresa terrence terry thabo thea theo theodore theresa thomas tiffany tim timothy tina tobias todd tom tomas tomasz tommy tony tracy travis trevor tyler valentina valerie vanessa vera veronica victor victoria vijay vikram vincent viktor violet vivian vladimir walter wanda wayne wei wendy wesley william willow wojciech xavier yasmin yara yousef yusuf yuki yuri zachary zainab zara zoe zofia
adaeze amaka chidi chinedu emeka ngozi oluwaseun tunde kwame kofi ama abena themba sipho nomvula lerato
haruto sota yui hina ren takumi daiki ryota satoshi yuto minh thanh huong linh tuan hieu hoang nguyen
tariq oksana jamal rohan jin-woo
jia hao jun ming xin yan li ling mei hui lei ying wen jie feng
seo-yeon ji-hoon min-jun ji-woo hyun-woo soo-jin
`;

const SURNAMES = `
abbott adams adamczyk ahmed akhtar ali allen alvarez anderson andersson andrews armstrong arnold ashworth bailey baker banerjee barker barnes barrett bauer becker bell bennett berg berger bianchi bishop black blake bondarenko bowen boyd bradley brooks brown bruno bryant burke burns butler byrne campbell carlsson carroll carter castillo castro chan chapman chaudhry chavez chen cheng clark clarke cohen cole coleman collins cook cooper costa cox crawford cruz cunningham daniels davies davis dawson de silva dean delgado diaz dixon dominguez douglas dubois duncan dunn dupont edwards elliott ellis evans farrell ferguson fernandes fernandez ferrari fischer fisher fitzgerald fleming flores ford foster fox francis fraser garcia gardner gibson gill gomez gonzalez gordon graham grant gray green greene griffin gupta gutierrez hall hamilton hansen hanson harris harrison hart hartmann harvey hassan hawkins hayes henderson hernandez herrera hill hoffmann holmes howard hudson hughes hunt hunter hussain ivanov ivanova jackson jacobs james jansen janssen jensen jimenez johansson johnson johnston jones jordan kaur kelly kennedy khan kim king klein knight koch kowalski kowalska kozlov kumar lambert larsen larsson lawrence lee lehmann lewis li lin lindberg lindqvist liu lopez lucas lundberg lundqvist lynch macdonald mahmoud malik marshall martin martinez mason matthews mcdonald mckenzie medina mehta mendoza meyer miller mills mitchell mohamed molina moore morales moreno morgan morris murphy murray myers nakamura navarro nelson neumann nguyen nielsen nikolaev novak novakova o'brien o'connor o'neill olsen olson ortiz owens palmer park parker patel payne pearson perez perry peters petersen peterson petrov petrova phillips pierce popescu popov porter powell price quinn ramirez ramos rao reed reid reyes reynolds richards richardson riley rivera roberts robertson robinson rodriguez rogers romero rossi ruiz russell ryan saito salazar sanchez sanders santos sato schmidt schmitt schneider schulz scott sharma shaw silva simmons simpson singh smith snyder sokolov spencer stewart stone sullivan suzuki svensson takahashi tanaka taylor thomas thompson thomson torres tran turner vargas vasquez walker wallace walsh wang ward warren watanabe watson weber webb wells west white williams williamson wilson wood woods wright wu yamamoto yang young zhang zhao zimmermann
al-mansour eze hryhorenko schreiber mcallister wrobel dahl volkov washington thornton moreau al-qahtani doherty nowak mendez qureshi
okafor okonkwo adeyemi mensah nkosi dlamini mwangi otieno kamau haddad khoury nasser farouk aziz rahman chowdhury iyer reddy nair pillai joshi desai kapoor malhotra bose sato kobayashi yoshida inoue kimura pham hoang vu le dang huang zhou xu sun ma zhu hu guo he gao luo lim tan ng wong lau chong park choi jung kang cho yoon jang
`;

/** Capitalised words that start sentences or name things, never people (PERSON hard negatives). */
const NOT_NAMES = `
the a an hi hello hey dear thanks thank cheers regards best kind please ok okay yes no yeah sure also and or but if so then when where what why how who which this that these those there here today tomorrow yesterday
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december
team support trust safety fraud security legal privacy compliance ops operations review reviewer escalation queue ticket case order invoice account user users customer customers admin moderator agent staff policy report appeal request update notice note fyi asap eta tl;dr
inc ltd llc plc gmbh corp corporation company co group bank street st road rd avenue ave lane drive court way place square park city county state university college school hospital clinic
north south east west new old big little great saint san santa los las el la le de van von
google apple amazon microsoft meta facebook instagram whatsapp tiktok twitter youtube netflix uber lyft paypal stripe visa mastercard slack zoom chrome firefox safari android ios windows linux iphone ipad pixel galaxy kindle alexa siri cortana jenkins kafka jira confluence github gitlab docker kubernetes postgres redis nats node react python ruby rust java julia
reporter claimant complainant victim suspect detective cardholder applicant seller buyer creator streamer tenant patient sender recipient
chief head manager director lead senior junior principal engineer analyst officer specialist
station bridge river lake mountain mount airport center centre mall bay beach island valley tower museum library church cathedral stadium arena theatre theater hotel restaurant cafe pharmacy store shop market services service solutions systems technologies labs studio studios media news times daily weekly pro plus mini ultra premium edition app api sdk dashboard console portal id pii ip usa uk eu us dm dms pm am utc gmt est pst
`;

/** Given names that are also ordinary words: they need a known surname or a context word. */
const AMBIGUOUS_GIVEN = `
will may june april august grace mark bill rose hope faith joy summer autumn dawn art guy jack frank rich sandy chase max miles pat ray sue don wade reed lane page rob bob victor harmony crystal amber ruby jade holly ivy iris lily violet destiny angel precious sky river storm hunter mason carter parker taylor jordan morgan sterling royal king major bishop penny sunny
`;

function toSet(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter((w) => w.length > 0));
}

export const GIVEN_NAMES = toSet(GIVEN);
export const SURNAME_SET = toSet(SURNAMES);
export const NOT_NAME_WORDS = toSet(NOT_NAMES);
export const AMBIGUOUS_GIVEN_NAMES = toSet(AMBIGUOUS_GIVEN);

/** Brand and product names shaped like a person's name (PERSON hard negatives). */
export const BRAND_NAMES = new Set([
  'calvin klein',
  'ralph lauren',
  'tommy hilfiger',
  'hugo boss',
  'marc jacobs',
  'kate spade',
  'michael kors',
  'tory burch',
  'louis vuitton',
  'jack daniels',
  'jack daniel',
  'johnnie walker',
  'jim beam',
  'dr pepper',
  'ben jerry',
  'tim hortons',
  'baby ruth',
  'aunt jemima',
  'uncle ben',
  'sara lee',
  'betty crocker',
  'jimmy choo',
  'ted baker',
  'paul smith',
  'stella mcartney',
  'vera wang',
  'estee lauder',
  'victoria secret',
  'charles schwab',
  'john deere',
  'ben sherman',
  'fred perry',
  'jack wolfskin',
  'tommy bahama',
  'harry potter',
  'peter pan',
  'ronald mcdonald',
  'alexa echo',
  'jenkins pipeline',
  'julia lang',
  'ruby gems',
  'tom ford',
]);
